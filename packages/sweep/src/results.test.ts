import { describe, expect, it } from 'vitest';
import { groupByPoint, rank, rankingTable, toCsv, type TrialRow } from './results.ts';

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
    const [header, ...lines] = toCsv(rows, ['w'], 'val_acc').trim().split('\n');
    expect(header).toBe('id,w,repeat,seed,status,val_acc_final,val_acc_best,best_epoch,epochs,seconds,message');
    expect(lines[0]).toBe('a,0,0,0,completed,0.9,0.9,3,4,1,');
    expect(lines[2]).toBe('c,2,0,0,failed,,,,4,1,"boom, ""quoted"""');
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
    expect(toCsv([noisy], ['w'], 'val_acc')).toContain('0.30000000000000004');
  });
});
