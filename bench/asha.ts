import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChart } from '@anneal/plot';
import { sweepProcess } from './sweep-process.ts';
import {
  collectRows,
  groupByPoint,
  paths,
  type PointStats,
  rank,
  ranks,
  readManifest,
  type TrialRow,
} from '@anneal/sweep';

const _exp = join(process.cwd(), 'packages/cli/bin/exp.js');
const METRIC = 'val_loss';
const EPOCHS = 9;
/** The budget goal: ASHA may train at most this fraction of the grid's epochs. */
const BUDGET = 0.4;

interface Setup {
  trainSize: number;
  testSize: number;
  seeds: number[];
}
const FULL: Setup = { trainSize: 2000, testSize: 1000, seeds: [1, 2, 3] };
// A smoke run of the same code path: tiny data, two seeds (the fewest a paired test takes).
const QUICK: Setup = { trainSize: 256, testSize: 256, seeds: [1, 2] };

/**
 * The sweep file. Learning rates 1e-3 (slow: behind after 9 epochs), 4e-3 (about right for Adam
 * here) and 0.1 (clearly too high); warm-up 0, 1 or 3 epochs; epsilon (the schedule's floor)
 * 0, 1e-5 or 1e-4. Repeat r runs seed `seed + r`, so the grid's repeats and the ASHA sweeps
 * seeded 1, 2, 3 train the very same trials (same ids) up to where ASHA stops them.
 */
function sweepYaml(setup: Setup, seed: number, extra: string): string {
  return `name: bench-asha
seed: ${seed}
data: { name: mnist, trainSize: ${setup.trainSize}, testSize: ${setup.testSize} }
model: { name: mlp, hidden: [64], dropout: 0 }
optimizer: { name: adam, learningRate: 0.004 }
schedule: { name: cosine-warmup, unit: step, warmup: 1ep, epsilon: 1.0e-5 }
train: { epochs: ${EPOCHS}, batchSize: 128, backend: wasm }
output: { plots: false, tensorboard: false, saveModel: false }
sweep:
  metric: ${METRIC}
  goal: min
  parameters:
    optimizer.learningRate: [1.0e-3, 4.0e-3, 1.0e-1]
    schedule.warmup: [0, 1ep, 3ep]
    schedule.epsilon: [0, 1.0e-5, 1.0e-4]
${extra}`;
}

/**
 * Runs `exp sweep` and returns its rows (from the trial directories) and wall seconds. Spawned
 * asynchronously so that the load-average sampler keeps ticking while the sweep runs.
 */
async function sweep(
  dir: string,
  name: string,
  yaml: string,
): Promise<{ out: string; rows: TrialRow[]; wall: number }> {
  const { out, wall } = await sweepProcess(dir, name, yaml, 2);
  return { out, rows: collectRows(out, readManifest(out)), wall };
}

const epochsOf = (rows: TrialRow[]) => rows.reduce((a, r) => a + r.epochs, 0);
const key = (point: unknown) => JSON.stringify(point);
const describe = (p: Record<string, unknown>) =>
  `lr ${p['optimizer.learningRate']}, warm-up ${p['schedule.warmup']}, ε ${p['schedule.epsilon']}`;
const f4 = (x: number | null) => (x === null ? '—' : x.toFixed(4));

/** When each trial ended (its summary.json), for the best-so-far curve. */
function finishedAt(out: string, id: string): number {
  const file = paths.summary(out, id);
  const at = (JSON.parse(readFileSync(file, 'utf8')) as { finishedAt?: string }).finishedAt;
  return at ? Date.parse(at) : statSync(file).mtimeMs;
}

/**
 * Best-so-far against epochs spent: trials in the order they ended, x the epochs trained so far,
 * y the full-training metric (the grid mean) of the point the sweep would name best by then.
 */
function bestSoFar(out: string, rows: TrialRow[], means: Map<string, number>) {
  let epochs = 0;
  let best: TrialRow | undefined;
  return [...rows]
    .sort((a, b) => finishedAt(out, a.id) - finishedAt(out, b.id))
    .flatMap((r) => {
      epochs += r.epochs;
      if (ranks(r) && (!best || r.best < best.best!)) best = r;
      return best ? [{ epochs, value: means.get(key(best.point))! }] : [];
    });
}

export async function benchAsha(lines: string[], quick: boolean): Promise<void> {
  const setup = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'anneal-bench-asha-'));
  const load: number[] = [];
  const sample = setInterval(() => load.push(loadavg()[0]), 5_000);
  const started = performance.now();
  try {
    // (a) The full grid, every point on every seed.
    const grid = await sweep(dir, 'grid', sweepYaml(setup, setup.seeds[0], `  repeats: ${setup.seeds.length}\n`));
    const stats = groupByPoint(grid.rows, 'min');
    const best = stats[0];
    const byPoint = new Map(stats.map((s) => [key(s.point), s]));
    const means = new Map(stats.map((s) => [key(s.point), s.mean!]));
    const incomplete = grid.rows.filter((r) => r.status !== 'completed').length;

    // (b) ASHA, one sweep per seed.
    const asha = [];
    for (const seed of setup.seeds) {
      const run = await sweep(
        dir,
        `asha-${seed}`,
        sweepYaml(
          setup,
          seed,
          `  pruner: { name: asha, metric: ${METRIC}, mode: min, minEpochs: 1, reductionFactor: 3 }\n`,
        ),
      );
      const pick = rank(run.rows, 'min').find(ranks);
      asha.push({ seed, ...run, pick, gridOfSeed: grid.rows.filter((r) => r.seed === seed) });
    }
    const wall = (performance.now() - started) / 1000;

    lines.push(
      `ASHA vs the full grid: 27 points (lr 1e-3/4e-3/0.1 × warm-up 0/1ep/3ep × ε 0/1e-5/1e-4), mnist ${setup.trainSize} / ${setup.testSize} val,`,
    );
    lines.push(
      `  mlp 784-64-10, adam, batch 128, ${EPOCHS} epochs, wasm, --parallel 2; metric ${METRIC} (the sweep's: best over epochs), seeds ${setup.seeds.join(', ')}${quick ? ' (--quick)' : ''}`,
    );
    lines.push(
      `  full grid: ${grid.rows.length} trials, ${epochsOf(grid.rows)} epochs, ${grid.wall.toFixed(0)} s${incomplete ? `, ${incomplete} not completed` : ''}`,
    );
    lines.push('  grid points, best first (mean ± sd, 95% CI over seeds; paired t vs best):');
    for (const s of stats) {
      const ci = s.ci95 === null ? '—' : `${f4(s.mean! - s.ci95)} … ${f4(s.mean! + s.ci95)}`;
      const p =
        s === best ? 'best' : s.vsBest ? `p ${s.vsBest.p.toPrecision(2)}${s.withinNoise ? ' ≈ best' : ''}` : '—';
      lines.push(`    ${describe(s.point).padEnd(38)} ${f4(s.mean)} ± ${f4(s.std)}  [${ci}]  ${p}`);
    }
    const within = stats.filter((s) => s === best || s.withinNoise).length;
    lines.push(`  ${within} of ${stats.length} points are within noise of the best (α = 0.05)`);

    const verdict = (s: PointStats | undefined) => {
      if (!s) return { ok: false, text: 'not in the grid' };
      if (s === best) return { ok: true, text: 'is the grid best' };
      if (!s.vsBest) return { ok: false, text: 'no test (fewer than two seeds)' };
      const t = s.vsBest;
      return {
        ok: t.p >= 0.05,
        text: `${t.test} t = ${t.t.toFixed(2)}, df ${t.df.toFixed(0)}, p = ${t.p.toPrecision(2)} → ${t.p >= 0.05 ? 'within noise' : 'worse than the best'}`,
      };
    };
    lines.push(`  ASHA (minEpochs 1, η 3: rungs at 1 and 3 epochs), one sweep per seed:`);
    for (const a of asha) {
      const used = epochsOf(a.rows);
      const gridEpochs = epochsOf(a.gridOfSeed);
      const count = (status: string) => a.rows.filter((r) => r.status === status).length;
      const pickStats = a.pick ? byPoint.get(key(a.pick.point)) : undefined;
      const v = verdict(pickStats);
      const share = used / gridEpochs;
      lines.push(
        `    seed ${a.seed}: ${used} / ${gridEpochs} epochs of the grid on this seed = ${(100 * share).toFixed(1)}% (goal ≤ ${100 * BUDGET}%: ${share <= BUDGET ? 'met' : 'NOT met'}); ${count('completed')} completed, ${count('pruned')} pruned; ${a.wall.toFixed(0)} s`,
      );
      lines.push(
        `      pick ${a.pick ? describe(a.pick.point) : '—'}: full-training ${METRIC} ${f4(pickStats?.mean ?? null)} ± ${f4(pickStats?.std ?? null)} vs grid best ${describe(best.point)} ${f4(best.mean)} ± ${f4(best.std)}`,
      );
      lines.push(`      ${v.text} (goal: within noise: ${v.ok ? 'met' : 'NOT met'})`);
    }
    const mean = load.length ? load.reduce((x, y) => x + y, 0) / load.length : loadavg()[0];
    lines.push(
      `  load average (1 min) during the section: mean ${mean.toFixed(1)}, max ${Math.max(mean, ...load).toFixed(1)} on ${(await import('node:os')).cpus().length} cores; ${wall.toFixed(0)} s wall in all`,
    );

    // Best-so-far (its full-training metric) against epochs spent: grid on each seed vs ASHA.
    const chart = join(dir, 'asha-best-vs-epochs.svg');
    const values = asha.flatMap((a) => [
      ...bestSoFar(grid.out, a.gridOfSeed, means).map((d) => ({ ...d, kind: 'grid', sweep: `grid, seed ${a.seed}` })),
      ...bestSoFar(a.out, a.rows, means).map((d) => ({ ...d, kind: 'asha', sweep: `asha, seed ${a.seed}` })),
    ]);
    await writeChart(chart, {
      title: `best so far (its mean full-training ${METRIC}) vs epochs trained`,
      width: 520,
      height: 280,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after', point: true },
      encoding: {
        x: { field: 'epochs', type: 'quantitative', title: 'epochs trained' },
        y: { field: 'value', type: 'quantitative', title: `${METRIC} (grid mean)`, scale: { zero: false } },
        color: { field: 'sweep', type: 'nominal' },
        // The grid's lines coincide while their picks agree: dashes keep them apart from ASHA's.
        strokeDash: { field: 'kind', type: 'nominal', title: null },
      },
    });
    lines.push(`  plot: ${existsSync(chart) ? chart : '(not written)'}; sweeps in ${dir}`);
  } finally {
    clearInterval(sample);
  }
}
