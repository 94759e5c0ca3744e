import type { DependencyContainer } from 'tsyringe';
import { plot as asciiPlot } from 'asciichart';
import { AnnealError, planSweep, TOKENS, type PluginRegistry, type Schedule } from '@anneal/core';
import { loadValid } from '../load.ts';
import type { Reporter } from '../reporter.ts';

export interface ScheduleOptions {
  length?: number;
  json?: boolean;
  plot?: string;
}

/** The curve as numbers: `lr[t]` for t = 0 … length−1. */
export function sample(schedule: Schedule, length: number): number[] {
  return Array.from({ length }, (_, t) => schedule.at(t));
}

/** The momentum the run sets at t = 0 … length−1 when the schedule cycles it (cycleMomentum), else undefined. */
export function sampleMomentum(schedule: Schedule, length: number): number[] | undefined {
  const { momentum } = schedule;
  return momentum ? Array.from({ length }, (_, t) => momentum(t)) : undefined;
}

const fmt = (x: number) => String(Number(x.toPrecision(6)));

/** Times worth showing in the table: every phase boundary (and the step before it), and an even spread. */
function sampleTimes(schedule: Schedule, length: number): number[] {
  const times = new Set<number>([0, length - 1]);
  for (const { start } of schedule.phases) for (const t of [start - 1, start]) if (t >= 0 && t < length) times.add(t);
  for (let i = 1; i < 8; i++) times.add(Math.round((i * (length - 1)) / 8));
  return [...times].sort((a, b) => a - b);
}

/** `exp schedule`: phase summary, sampled values and a terminal chart; or `--json`; or `--plot FILE`. */
export async function schedule(
  container: DependencyContainer,
  file: string,
  overrides: string[],
  options: ScheduleOptions,
): Promise<void> {
  const { config, schedule: curve, run } = await loadValid(container, file, overrides);
  const unit = config.schedule.unit;
  const length = options.length ?? (unit === 'epoch' ? run.epochs : run.epochs * run.stepsPerEpoch!);
  if (!Number.isInteger(length) || length < 1)
    throw new AnnealError('USAGE', `--length must be a positive integer (got ${options.length})`);
  const lr = sample(curve, length);
  const momentum = sampleMomentum(curve, length);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  if (options.plot) {
    const { lrChart, writeChart } = await import('@anneal/plot');
    await writeChart(
      options.plot,
      lrChart({
        unit,
        series: [{ name: config.name, lr, ...(momentum ? { momentum } : {}) }],
        phases: curve.phases,
        title: `${config.schedule.name} — ${config.name}`,
      }),
    );
    reporter.info(`wrote ${options.plot}`);
  }
  // reduce-on-plateau depends on metrics no preview can know: it can only lower this curve.
  const plateau = config.schedule.reduceOnPlateau;
  if (options.json) {
    reporter.out(
      JSON.stringify({ unit, lr, ...(momentum ? { momentum } : {}), ...(plateau ? { upperBound: true } : {}) }),
    );
    return;
  }
  if (options.plot) return;
  const lines = [
    `${config.schedule.name} per ${unit}, base ${fmt(config.optimizer.learningRate)}, ${length} ${unit}s${unit === 'step' ? ` (${run.stepsPerEpoch}/epoch)` : ''}`,
    ...(plateau
      ? [
          `with reduceOnPlateau (monitor ${plateau.monitor}): an upper bound — the run lowers it when the metric stalls; its lr.csv records the rates applied`,
        ]
      : []),
    '',
    'phases:',
  ];
  // With cycleMomentum, the momentum the run sets goes beside the rate everywhere.
  const m = (t: number) => (momentum ? `  momentum ${fmt(momentum[t])}` : '');
  for (const phase of curve.phases)
    if (phase.start < length)
      lines.push(
        `  ${String(phase.start).padStart(7)}  ${phase.name.padEnd(12)} lr ${fmt(curve.at(phase.start))}${m(phase.start)}`,
      );
  lines.push('', `  ${unit.padStart(7)}  ${momentum ? `${'lr'.padEnd(12)}momentum` : 'lr'}`);
  for (const t of sampleTimes(curve, length))
    lines.push(`  ${String(t).padStart(7)}  ${momentum ? `${fmt(lr[t]).padEnd(12)}${fmt(momentum[t])}` : fmt(lr[t])}`);
  const width = Math.min(72, length);
  const spread = (ys: number[]) =>
    Array.from({ length: width }, (_, i) => ys[Math.round((i * (length - 1)) / Math.max(width - 1, 1))]);
  const chart = (ys: number[], height: number) =>
    asciiPlot(spread(ys), { height, format: (x: number) => fmt(x).padStart(11) });
  lines.push('', chart(lr, 10));
  if (momentum) lines.push('', 'momentum:', chart(momentum, 5));
  reporter.out(lines.join('\n'));
}

/** `exp schedule --sweep`: the curve of every point of a sweep (first seed only), overlaid. */
export async function sweepSchedules(
  container: DependencyContainer,
  file: string,
  args: string[],
  options: ScheduleOptions,
): Promise<void> {
  const plan = await planSweep(file, args, container.resolve<PluginRegistry>(TOKENS.Registry));
  if (plan.sweep.method === 'tpe')
    throw new AnnealError('USAGE', 'a tpe sweep proposes its points while it runs: there are none to draw yet', {
      hint: "draw a trial's curve with `exp schedule <sweep dir>/configs/<id>.yaml`, or use method: random to see samples",
    });
  const trials = plan.trials.filter((t) => t.repeat === 0);
  if (trials.length === 0)
    throw new AnnealError('CONFIG_INVALID', 'every point of the sweep was dropped', {
      hint: plan.dropped.map((d) => d.reason).join('; '),
    });
  const unit = trials[0].config.schedule.unit;
  const length = (t: (typeof trials)[number]) =>
    options.length ?? (unit === 'epoch' ? t.run.epochs : t.run.epochs * t.run.stepsPerEpoch!);
  const label = (t: (typeof trials)[number]) =>
    plan.keys
      .map((k) => `${k.split('.').pop()}=${typeof t.point[k] === 'string' ? t.point[k] : JSON.stringify(t.point[k])}`)
      .join(' ');
  const series = trials.map((t) => {
    const momentum = sampleMomentum(t.schedule, length(t));
    return {
      id: t.id,
      point: t.point,
      name: label(t),
      lr: sample(t.schedule, length(t)),
      ...(momentum ? { momentum } : {}),
    };
  });
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  if (options.plot) {
    const { lrChart, writeChart } = await import('@anneal/plot');
    await writeChart(options.plot, lrChart({ unit, series, title: `${plan.name}: ${trials.length} trials` }));
    reporter.info(`wrote ${options.plot}`);
  }
  if (options.json) {
    reporter.out(
      JSON.stringify({ unit, trials: series.map(({ id, point, lr, momentum }) => ({ id, point, lr, momentum })) }),
    );
    return;
  }
  const lines = [`${trials.length} schedules (per ${unit}):`];
  for (const s of series)
    lines.push(
      `  ${s.id}  ${s.name.padEnd(40)} lr[0] ${fmt(s.lr[0])}  max ${fmt(Math.max(...s.lr))}  last ${fmt(s.lr.at(-1)!)}`,
    );
  for (const d of plan.dropped)
    lines.push(`  dropped: ${plan.keys.map((k) => `${k}=${JSON.stringify(d.point[k])}`).join(' ')}: ${d.reason}`);
  reporter.out(lines.join('\n'));
}
