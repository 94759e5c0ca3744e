import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { exp, tempDir } from './exp.ts';
import { writeRunDir, writeSweepDir } from './run-fixtures.ts';

// The pages `exp report --html` and `exp compare --html` write, opened in real headless Chromium:
// they must draw their charts, make no network request, log no error, and their controls work.

const root = tempDir();
const shots = join(root, 'screenshots');
mkdirSync(shots, { recursive: true });
const cosine = (base: number, w: number, n: number) => (t: number) =>
  t < w ? (base * (t + 1)) / (w + 1) : base * 0.5 * (1 + Math.cos((Math.PI * (t - w)) / (n - w)));
const runDir = join(root, 'run');
writeRunDir(runDir, { name: 'one-run', seed: 1, epochs: 10, stepsPerEpoch: 20, warmup: 2, lr: cosine(0.01, 2, 10) });
for (const seed of [1, 2, 3])
  writeRunDir(join(root, 'runs', `warm-${seed}`), {
    name: 'warm',
    seed,
    epochs: 10,
    stepsPerEpoch: 20,
    warmup: 2,
    lr: cosine(0.01, 2, 10),
  });
writeRunDir(join(root, 'runs', 'step'), {
  name: 'step',
  seed: 1,
  epochs: 10,
  stepsPerEpoch: 20,
  warmup: 0,
  lr: (t) => 0.01 * 0.1 ** Math.floor(t / 4),
});
const sweepDir = join(root, 'sweep');
mkdirSync(sweepDir);
const trialIds = writeSweepDir(sweepDir, [0, 2, 4], [1e-3, 1e-2]);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens a page, recording console errors, page errors and every request that is not the page itself. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => r.url() !== url && requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

const marks = (page: Page, selector: string, kind: string) =>
  page.locator(`${selector} [aria-roledescription="${kind} mark"]`).count();
const points = (page: Page, selector: string) => page.locator(`${selector} [aria-roledescription="point"]`).count();
const visible = (page: Page, css: string) =>
  page.evaluate(
    (q) => [...document.querySelectorAll(q)].filter((el) => (el as HTMLElement).style.display !== 'none').length,
    css,
  );
const visibleMarks = (page: Page, selector: string, kind: string) =>
  visible(page, `${selector} [aria-roledescription="${kind} mark"]`);
const visiblePoints = (page: Page, selector: string) => visible(page, `${selector} [aria-roledescription="point"]`);

describe('report pages in headless Chromium', () => {
  it('run page: two charts drawn, hover shows values, a legend click hides a series', async () => {
    const out = join(root, 'run.html');
    const r = await exp(['report', runDir, '--html', out]);
    expect(r.code, r.stderr).toBe(0);
    const { page, errors, requests } = await open(out);
    expect(await page.locator('.chart svg').count()).toBe(2);
    // lr: one line; metrics: loss and acc panels × train and val.
    expect(await marks(page, '#lr', 'line')).toBe(1);
    expect(await marks(page, '#metrics', 'line')).toBe(4);
    // Points (vega describes them as "point", not "… mark") carry the hover values.
    expect(await points(page, '#metrics')).toBe(4 * 10);
    await page.locator('#metrics [aria-roledescription="point"]').first().hover({ force: true });
    await expect.poll(() => page.locator('#tip').textContent()).toMatch(/^epoch: 1; loss: [\d.]+; split: train$/);
    await page.locator('#metrics .role-legend-label text', { hasText: /^val$/ }).click();
    expect(await visibleMarks(page, '#metrics', 'line')).toBe(2);
    expect(await visiblePoints(page, '#metrics')).toBe(2 * 10);
    await page.screenshot({ path: join(shots, 'run.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('sweep page: sortable results table linking to each trial, plots and one chart per trial, a few MB at most', async () => {
    const out = join(root, 'sweep.html');
    const r = await exp(['report', sweepDir, '--html', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).size).toBeLessThan(3 * 1024 * 1024);
    const { page, errors, requests } = await open(out);
    const rows = page.locator('#results-table tbody tr');
    expect(await rows.count()).toBe(trialIds.length);
    for (const id of trialIds) {
      expect(await page.locator(`#results-table a[href="#trial-${id}"]`).count()).toBe(1);
      expect(await page.locator(`section#trial-${id} .chart svg`).count()).toBe(1);
    }
    // The sweep's own plots: a heatmap (two grid keys) with one cell per point, and the top-N curves.
    expect(await marks(page, '#plot-heatmap', 'rect')).toBe(trialIds.length);
    expect(await marks(page, '#plot-top-val_acc', 'line')).toBe(5);
    // Sort by the best metric: ascending, then descending, as numbers.
    const column = await page.locator('#results-table thead th').allTextContents();
    const col = column.indexOf('val_acc best');
    const values = async () =>
      (await rows.evaluateAll((trs, c) => trs.map((tr) => (tr as HTMLTableRowElement).cells[c].textContent), col)).map(
        Number,
      );
    await page.locator('#results-table thead th').nth(col).click();
    const up = await values();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.locator('#results-table thead th').nth(col).click();
    const down = await values();
    expect(down).toEqual([...up].reverse());
    expect(down[0]).toBeGreaterThan(down.at(-1)!);
    await page.screenshot({ path: join(shots, 'sweep.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('compare page: repeats drawn as a mean with a band, four aligned panels, legend toggles', async () => {
    const out = join(root, 'compare.html');
    const r = await exp(['compare', join(root, 'runs', '*'), '--html', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/repeats/);
    const { page, errors, requests } = await open(out);
    for (const id of ['lr-by-epoch', 'lr-by-step', 'metric-by-epoch', 'metric-by-step']) {
      // Two series: the three seeds of `warm` as one mean line, and `step`.
      expect(await marks(page, `#${id}`, 'line')).toBe(2);
      // Only the group of repeats has a band.
      expect(await marks(page, `#${id}`, 'area')).toBe(1);
    }
    expect(await page.locator('#compare-table tbody tr').count()).toBe(4);
    await page.locator('#metric-by-epoch .role-legend-label text', { hasText: /^step$/ }).click();
    expect(await visibleMarks(page, '#metric-by-epoch', 'line')).toBe(1);
    await page.screenshot({ path: join(shots, 'compare.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // Nothing on the page points outside it.
    expect(readFileSync(out, 'utf8')).not.toMatch(/(src|href)="(https?:)?\/\//);
    await page.close();
  });
});
