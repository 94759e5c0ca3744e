import { describe, expect, it } from 'vitest';
import { groupByPoint, rank, rankingTable, summaryMarkdown, toCsv, type TrialRow } from './results.ts';
import type { SweepManifest } from './sweep-dir.ts';

const row = (
  id: string,
  point: Record<string, unknown>,
  best: number | null,
  extra: Partial<TrialRow> = {},
): TrialRow => ({
  id,
  point,
  repeat: 0,
  seed: 0,
  status: best === null ? 'failed' : 'completed',
  final: best,
  best,
  bestEpoch: best === null ? null : 3,
  epochs: 4,
  seconds: 1,
  ...extra,
});

describe('sweep results', () => {
  const rows = [
    row('a', { w: 0 }, 0.9),
    row('b', { w: 1 }, 0.95),
    row('c', { w: 2 }, null, { message: 'boom, "quoted"' }),
    row('d', { w: 1 }, 0.85, { seed: 1, repeat: 1 }),
  ];

  it('ranks by the best value for the goal, trials without one last', () => {
    expect(rank(rows, 'max').map((r) => r.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(rank(rows, 'min').map((r) => r.id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('folds repeats of a point into mean and sample standard deviation', () => {
    const stats = groupByPoint(rows, 'max');
    const w1 = stats.find((s) => s.point.w === 1)!;
    expect(w1.n).toBe(2);
    expect(w1.mean).toBeCloseTo(0.9, 12);
    expect(w1.std).toBeCloseTo(Math.sqrt(((0.95 - 0.9) ** 2 + (0.85 - 0.9) ** 2) / 1), 12);
    expect(stats.find((s) => s.point.w === 0)!.std).toBeNull();
    expect(stats.at(-1)!.point.w).toBe(2);
  });

  it('writes CSV with every swept key as a column and quotes what needs quoting', () => {
    const [header, ...lines] = toCsv(rows, ['w'], 'val_acc', 'max').trim().split('\n');
    expect(header).toBe(
      'id,w,repeat,seed,status,val_acc_final,val_acc_best,best_epoch,epochs,seconds,message,point_n,val_acc_point_mean,val_acc_point_std,val_acc_point_ci95,p_vs_best,within_noise',
    );
    expect(lines[0]).toBe('a,0,0,0,completed,0.9,0.9,3,4,1,,1,0.9,,,,');
    expect(lines[2]).toBe('c,2,0,0,failed,,,,4,1,"boom, ""quoted""",0,,,,,');
  });

  it('prints a Markdown ranking', () => {
    const table = rankingTable(rows, ['w'], 'val_acc', 'max').split('\n');
    expect(table[0]).toBe('| rank | trial | w | seed | status | val_acc best | val_acc final | epochs | seconds |');
    expect(table[2]).toMatch(/^\| 1 \| b \| 1 \| 0 \| completed \| 0\.95 \|/);
  });

  it('prints numbers people read with 4 significant digits, never float noise', () => {
    const noisy: TrialRow = { ...rows[0], id: 'n', point: { w: 0.1 + 0.2 }, best: 0.1 + 0.2, final: 2.5e-5 };
    const line = rankingTable([noisy], ['w'], 'val_acc', 'max').split('\n')[2];
    expect(line).toContain('| 0.3 |');
    expect(line).toContain('| 2.5e-5 |');
    expect(line).not.toContain('0.30000000000000004');
    // results.csv is for programs: full precision.
    expect(toCsv([noisy], ['w'], 'val_acc', 'max')).toContain('0.30000000000000004');
  });
});

describe('only completed trials rank', () => {
  const manifest = (keys: string[]) =>
    ({
      formatVersion: 1,
      name: 's',
      createdAt: '',
      sweep: {
        method: 'grid',
        parameters: {},
        zip: [],
        exclude: [],
        repeats: 1,
        trials: 1,
        metric: 'val_acc',
        goal: 'max',
      },
      keys,
      trials: [],
      dropped: [],
    }) as unknown as SweepManifest;

  // A trial that got far before failing, or that diverged after a good epoch, has the best curve.
  const rows = [
    row('a', { w: 0 }, 0.99, { status: 'failed', message: 'worker process exited (SIGKILL)' }),
    row('b', { w: 1 }, 0.98, { status: 'diverged', message: 'loss is NaN' }),
    row('c', { w: 2 }, 0.7),
    row('d', { w: 3 }, 0.8),
  ];

  it('puts completed trials first and leaves the rest unranked', () => {
    expect(rank(rows, 'max').map((r) => r.id)).toEqual(['d', 'c', 'a', 'b']);
    const table = rankingTable(rows, ['w'], 'val_acc', 'max').split('\n').slice(2);
    expect(table.map((l) => l.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| 1 | d',
      '| 2 | c',
      '| — | a',
      '| — | b',
    ]);
  });

  it('never names a failed or diverged trial best in summary.md', () => {
    const text = summaryMarkdown(manifest(['w']), rows);
    expect(text).toMatch(/Trial `d`: `w` = 3 → val_acc 0\.8 /);
  });

  it('folds only completed repeats into the mean', () => {
    const stats = groupByPoint([row('a', { w: 0 }, 0.9), row('b', { w: 0 }, 0.1, { status: 'failed' })], 'max');
    expect(stats[0]).toMatchObject({ n: 1, mean: 0.9 });
  });
});

describe('Markdown tables', () => {
  it('escape | and newlines in swept values, so each row keeps its columns', () => {
    const rows = [row('a', { 'model.note': 'x | y\nz' }, 0.5), row('b', { 'model.note': 'plain\\' }, 0.4)];
    const table = rankingTable(rows, ['model.note'], 'val_acc', 'max').split('\n');
    expect(table).toHaveLength(4);
    // Unescaped pipes split cells: every line has as many as the header.
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    for (const l of table) expect(cells(l)).toBe(cells(table[0]));
    expect(table[2]).toContain('| x \\| y<br>z |');
    expect(table[3]).toContain('| plain\\\\ |');
  });
});
