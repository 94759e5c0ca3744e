import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAnnealError } from '@anneal/core';
import { lrChart } from './lr-chart.ts';
import { renderChart, writeChart } from './render.ts';

// Rendering takes a while, so one chart serves every check.
const spec = lrChart({
  unit: 'epoch',
  title: 'every trial',
  series: [
    { name: 'warmup=0', lr: [0.1, 0.05, 0.01] },
    { name: 'warmup=1', lr: [0.05, 0.1, 0.02] },
    { name: 'warmup=2', lr: [0.03, 0.06, 0.1] },
  ],
  phases: [
    { name: 'warmup', start: 0 },
    { name: 'decay', start: 1 },
  ],
});
const count = (text: string, needle: string) => text.split(needle).length - 1;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anneal-plot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderChart', () => {
  it('draws well-formed SVG with titles, labels and one line per series', async () => {
    const svg = await renderChart(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // resvg parses with a strict XML parser: this throws on malformed markup.
    expect(new Resvg(svg).width).toBeGreaterThan(0);
    for (const text of ['every trial', 'learning rate', 'epoch', '>warmup<', '>decay<', 'warmup=2']) {
      expect(svg).toContain(text);
    }
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(3);
    expect(count(svg, 'aria-roledescription="rule mark"')).toBe(2);
  });

  it('throws a dataflow error that vega would only have logged', async () => {
    await expect(
      renderChart({ data: { values: [{ a: 1 }] }, transform: [{ filter: 'datum.nope.x > 1' }], mark: 'point' }),
    ).rejects.toThrow(/Vega could not draw the chart: TypeError/);
  });
});

describe('writeChart', () => {
  it('writes PNG by extension, atomically (no temp file left)', async () => {
    const file = join(dir, 'nested', 'lr.png');
    await writeChart(file, spec);
    const png = await readFile(file);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await readdir(join(dir, 'nested'))).toEqual(['lr.png']);
  });

  it('writes SVG by extension', async () => {
    const file = join(dir, 'lr.svg');
    await writeChart(file, spec);
    expect((await readFile(file, 'utf8')).startsWith('<svg')).toBe(true);
  });

  it('rejects other extensions, naming the supported ones', async () => {
    const error = await writeChart(join(dir, 'lr.jpg'), spec).catch((e: unknown) => e);
    expect(isAnnealError(error)).toBe(true);
    expect((error as Error).message).toMatch(/\.jpg.*\.svg, \.png/);
    expect(await readdir(dir)).not.toContain('lr.jpg');
  });
});

describe('the package', () => {
  it('never imports tfjs (exp schedule --plot must stay light)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    expect(Object.keys(pkg.dependencies).filter((d) => d.startsWith('@tensorflow'))).toEqual([]);
    const sources = (await readdir(new URL('.', import.meta.url))).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of sources) {
      expect(await readFile(new URL(file, import.meta.url), 'utf8')).not.toMatch(
        /from '@tensorflow|from '@anneal\/trainer/,
      );
    }
  });
});
