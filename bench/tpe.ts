import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeChart } from '@anneal/plot';
import { sweepProcess } from './sweep-process.ts';
import {
  collectRows,
  pairedTest,
  paths,
  ranks,
  readManifest,
  readProposals,
  summarize,
  type TrialRow,
} from '@anneal/sweep';

const _exp = join(process.cwd(), 'packages/cli/bin/exp.js');
const METRIC = 'val_loss';

interface Setup {
  trainSize: number;
  testSize: number;
  epochs: number;
  /** The budget: trials per sweep, the same for both methods. */
  trials: number;
  seeds: number[];
}
// 30 trials: Optuna's 10 random startup trials, then 20 proposals from the model (with 20–25 in
// all, half the budget would be random in both methods and the curves could barely part). Eight
// sweep seeds, not the minimum five: a paired t-test on five pairs has 4 degrees of freedom and
// needs a large, consistent difference to say anything. Both fit in about 15 minutes here.
const FULL: Setup = { trainSize: 1500, testSize: 500, epochs: 3, trials: 30, seeds: [1, 2, 3, 4, 5, 6, 7, 8] };
// A smoke run of the same code path: tiny data, one epoch, two seeds (the fewest a paired test takes).
const QUICK: Setup = { trainSize: 256, testSize: 128, epochs: 1, trials: 12, seeds: [1, 2] };

/** Up to 24 steps of warm-up (two of the full run's three epochs), less when the run is shorter. */
const maxWarmup = (setup: Setup) => Math.min(24, Math.ceil(setup.trainSize / 128) * setup.epochs - 1);

function sweepYaml(setup: Setup, method: 'tpe' | 'random', seed: number): string {
  return `name: bench-tpe-${method}
seed: 1
data: { name: mnist, trainSize: ${setup.trainSize}, testSize: ${setup.testSize} }
model: { name: mlp, hidden: [32], dropout: 0 }
optimizer: { name: adam, learningRate: 0.004 }
schedule: { name: cosine-warmup, unit: step, warmup: 0, epsilon: 1.0e-5 }
train: { epochs: ${setup.epochs}, batchSize: 128, backend: wasm }
output: { plots: false, tensorboard: false, saveModel: false }
sweep:
  method: ${method}
  trials: ${setup.trials}
  seed: ${seed}
  metric: ${METRIC}
  goal: min
  parameters:
    optimizer.name: [adam, rmsprop, sgd]
    optimizer.learningRate: { min: 1.0e-4, max: 1.0, log: true }
    schedule.warmup: { min: 0, max: ${maxWarmup(setup)}, int: true }
    schedule.epsilon: { min: 1.0e-7, max: 1.0e-4, log: true }
`;
}

/** Runs `exp sweep` (asynchronously: two run at once and the load sampler keeps ticking). */
const sweep = (dir: string, name: string, yaml: string) => sweepProcess(dir, name, yaml, 1);

const finishedAt = (out: string, id: string) =>
  Date.parse((JSON.parse(readFileSync(paths.summary(out, id), 'utf8')) as { finishedAt: string }).finishedAt);

/**
 * The value each spent trial of the budget brought, in the order the trials ran: a TPE sweep's
 * proposals in order (a duplicate or dropped proposal spends a trial and brings nothing), a
 * random sweep's trials by the time they finished (one at a time, i.e. plan order). null: no value.
 */
function spent(out: string, method: 'tpe' | 'random', trials: number): { values: (number | null)[]; rows: TrialRow[] } {
  const rows = collectRows(out, readManifest(out));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const value = (r: TrialRow | undefined) => (r && ranks(r) ? r.best : null);
  const values =
    method === 'tpe'
      ? readProposals(out).map((p) => (p.duplicate || p.dropped || !p.id ? null : value(byId.get(p.id))))
      : [...rows].sort((a, b) => finishedAt(out, a.id) - finishedAt(out, b.id)).map(value);
  while (values.length < trials) values.push(null);
  return { values: values.slice(0, trials), rows };
}

/** Best-so-far after each trial (NaN until the first trial with a value). */
function bestSoFar(values: (number | null)[]): number[] {
  let best = Number.NaN;
  return values.map((v) => {
    if (v !== null && !(v >= best)) best = v;
    return best;
  });
}

const f4 = (x: number) => x.toFixed(4);

export async function benchTpe(lines: string[], quick: boolean): Promise<void> {
  const setup = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'anneal-bench-tpe-'));
  const load: number[] = [];
  const sample = setInterval(() => load.push(loadavg()[0]), 5_000);
  const started = performance.now();
  const methods = ['tpe', 'random'] as const;
  const curves: Record<(typeof methods)[number], number[][]> = { tpe: [], random: [] };
  const notes: string[] = [];
  try {
    for (const seed of setup.seeds) {
      const runs = await Promise.all(methods.map((m) => sweep(dir, `${m}-${seed}`, sweepYaml(setup, m, seed))));
      methods.forEach((m, i) => {
        const { values, rows } = spent(runs[i].out, m, setup.trials);
        const curve = bestSoFar(values);
        curves[m].push(curve);
        const bad = rows.filter((r) => !ranks(r)).length;
        const wasted = values.filter((v) => v === null).length;
        notes.push(
          `    ${m.padEnd(6)} seed ${seed}: best ${f4(curve.at(-1)!)} after ${setup.trials} trials (${rows.length} run, ${bad} without a value, ${wasted} trials spent without a value); ${runs[i].wall.toFixed(0)} s`,
        );
      });
    }
  } finally {
    clearInterval(sample);
  }
  const wall = (performance.now() - started) / 1000;
  const final = (m: (typeof methods)[number]) => curves[m].map((c) => c.at(-1)!);
  const s = { tpe: summarize(final('tpe')), random: summarize(final('random')) };
  const test = pairedTest(final('tpe'), final('random'));
  const tpeWins = final('tpe').filter((x, i) => x < final('random')[i]).length;

  lines.push(
    `TPE vs random search, ${setup.trials} trials each, sweep seeds ${setup.seeds.join(', ')}${quick ? ' (--quick)' : ''}: mnist ${setup.trainSize} / ${setup.testSize} val,`,
  );
  lines.push(
    `  mlp 784-32-10, batch 128, ${setup.epochs} epochs, wasm, --parallel 1; optimizer adam|rmsprop|sgd × lr log 1e-4…1 × warm-up 0…${maxWarmup(setup)} steps × ε log 1e-7…1e-4; metric ${METRIC} (best over epochs)`,
  );
  lines.push(...notes);
  lines.push('  mean best-so-far (± sd over seeds) after trial 1, 5, 10, 15, 20, 25, …:');
  for (const m of methods) {
    const at = [1, 5, 10, 15, 20, 25, setup.trials].filter((t, i, all) => t <= setup.trials && all.indexOf(t) === i);
    lines.push(
      `    ${m.padEnd(6)} ${at
        .map((t) => {
          const x = summarize(curves[m].map((c) => c[t - 1]).filter((v) => !Number.isNaN(v)));
          return `${t}: ${f4(x.mean)}${x.std === null ? '' : ` ± ${f4(x.std)}`}`;
        })
        .join('   ')}`,
    );
  }
  const d = s.tpe.mean - s.random.mean;
  lines.push(
    `  final: tpe ${f4(s.tpe.mean)} ± ${f4(s.tpe.std ?? Number.NaN)}, random ${f4(s.random.mean)} ± ${f4(s.random.std ?? Number.NaN)}; tpe − random = ${d.toFixed(4)}; TPE lower on ${tpeWins} of ${setup.seeds.length} seeds`,
  );
  lines.push(
    `  paired t over seeds: t = ${test.t.toFixed(2)}, df ${test.df}, p = ${test.p.toPrecision(2)} (goal: TPE's mean best-so-far lower: ${d < 0 ? 'met' : 'NOT met'}${d < 0 && test.p >= 0.05 ? ', but not significant at α = 0.05' : ''})`,
  );
  const mean = load.length ? load.reduce((x, y) => x + y, 0) / load.length : loadavg()[0];
  lines.push(
    `  load average (1 min) during the section: mean ${mean.toFixed(1)}, max ${Math.max(mean, ...load).toFixed(1)} on ${cpus().length} cores; ${wall.toFixed(0)} s wall in all`,
  );

  // Both methods' mean curves (thick) over their per-seed curves (thin).
  const values = methods.flatMap((m) => [
    ...curves[m].flatMap((c, k) =>
      c.flatMap((v, t) =>
        Number.isNaN(v) ? [] : [{ trial: t + 1, value: v, method: m, line: `${m} ${setup.seeds[k]}`, kind: 'seed' }],
      ),
    ),
    ...curves[m][0].map((_, t) => {
      const xs = curves[m].map((c) => c[t]).filter((v) => !Number.isNaN(v));
      return {
        trial: t + 1,
        value: xs.reduce((a, b) => a + b, 0) / xs.length,
        method: m,
        line: `${m} mean`,
        kind: 'mean',
      };
    }),
  ]);
  // The first trials reach losses of 10 and more (a rate of 0.5 with adam), which would flatten
  // the part that matters: the y axis runs from the lowest value to 1.5 × the worse mean curve
  // at trial 10 (or the last), and lines above it are cut at the top.
  const meanAt = (m: (typeof methods)[number], t: number) =>
    summarize(curves[m].map((c) => c[t - 1]).filter((v) => !Number.isNaN(v))).mean;
  const t10 = Math.min(10, setup.trials);
  const high = 1.5 * Math.max(meanAt('tpe', t10), meanAt('random', t10));
  const low = 0.98 * Math.min(...values.map((v) => v.value));
  const chart = quick ? join(dir, 'tpe-vs-random.png') : join(process.cwd(), 'docs/img/tpe-vs-random.png');
  await writeChart(chart, {
    title: `best ${METRIC} so far vs trials: mean over ${setup.seeds.length} sweep seeds (thick), each seed (thin); y cut at ${high.toFixed(2)}`,
    width: 520,
    height: 300,
    data: { values },
    // Shared by both layers: one line per seed and method (thin), one per method (thick).
    encoding: {
      x: { field: 'trial', type: 'quantitative', title: 'trials', scale: { domain: [1, setup.trials] } },
      y: { field: 'value', type: 'quantitative', title: `best ${METRIC} so far`, scale: { domain: [low, high] } },
      color: { field: 'method', type: 'nominal' },
      detail: { field: 'line', type: 'nominal' },
    },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'seed'" }],
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1, opacity: 0.35, clip: true },
      },
      {
        transform: [{ filter: "datum.kind === 'mean'" }],
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 3, point: true, clip: true },
      },
    ],
  });
  lines.push(`  plot: ${existsSync(chart) ? chart : '(not written)'}; sweeps in ${dir}`);
}
