import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import {
  AnnealError,
  expCommand,
  lockDir,
  planSweep,
  TOKENS,
  type DirLock,
  type PluginRegistry,
  type SweepPlan,
} from '@anneal/core';
import {
  createSweepDir,
  ProcessLauncher,
  rankingTable,
  readManifest,
  runSweep,
  type SweepProgress,
} from '@anneal/sweep';
import type { Outcome } from '../boundary.ts';
import type { Reporter } from '../reporter.ts';

export interface SweepOptions {
  out?: string;
  resume?: string;
  parallel?: number;
  dryRun?: boolean;
  maxFailures?: number;
  retries?: number;
  failFast?: boolean;
  plots?: boolean;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const duration = (s: number) =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;

function describePlan(plan: SweepPlan): string {
  const lines = [
    `${plan.trials.length} trials (${plan.sweep.method} over ${plan.keys.join(', ')}${plan.sweep.repeats > 1 ? `, ${plan.sweep.repeats} seeds each` : ''}), ranked by ${plan.sweep.metric} (${plan.sweep.goal})`,
  ];
  // The budget before anything runs: every trial's epochs (early stopping can only shorten them).
  const epochs = plan.trials.reduce((a, t) => a + t.run.epochs, 0);
  lines.push(`budget: ${plan.trials.length} trials, at most ${epochs} epochs`);
  for (const note of plan.notes) lines.push(`note: ${note}`);
  for (const t of plan.trials)
    lines.push(`  ${t.id}  ${plan.keys.map((k) => `${k}=${show(t.point[k])}`).join('  ')}  seed=${t.config.seed}`);
  if (plan.dropped.length) {
    lines.push(`${plan.dropped.length} points dropped:`);
    for (const d of plan.dropped)
      lines.push(
        `  ${plan.keys.map((k) => `${k}=${show(d.point[k])}`).join('  ')}${d.repeat ? ` (repeat ${d.repeat})` : ''}: ${d.reason}`,
      );
  }
  return lines.join('\n');
}

/**
 * The worker process. Installed, this module is a chunk of dist/ beside the built
 * sweep-worker.js, which Node runs as it is (no loader: ready within a second of the fork).
 * In the workspace it is this TypeScript source, so the worker's source goes through tsx.
 */
const fromSource = import.meta.url.endsWith('.ts');
const workerScript = () =>
  fromSource
    ? fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url))
    : fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
const workerArgs = () =>
  fromSource ? [fileURLToPath(new URL('./sweep-worker.ts', new URL('../', import.meta.url)))] : [];

/** `exp sweep`: plan (or `--dry-run`), run the trials in worker processes, rank and plot. */
export async function sweep(
  container: DependencyContainer,
  file: string | undefined,
  args: string[],
  options: SweepOptions,
): Promise<Outcome> {
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  if (!file && !options.resume)
    throw new AnnealError('USAGE', 'missing config file', {
      hint: `${expCommand('sweep <config.yaml> [key=a,b,c …]')}, or ${expCommand('sweep --resume <sweep dir>')}`,
    });
  if (file && options.resume) throw new AnnealError('USAGE', 'give a config file or --resume DIR, not both');
  let dir: string;
  let parallelDefault: number | undefined;
  // One process drives a sweep directory at a time (see dir-lock.ts); released in `finally`.
  let lock: DirLock | undefined;
  if (options.resume) {
    dir = resolve(options.resume);
    parallelDefault = readManifest(dir).sweep.parallel;
    lock = lockDir(dir, 'sweep');
    reporter.info(`resuming sweep ${dir}`);
  } else {
    const plan = await planSweep(file!, args, container.resolve<PluginRegistry>(TOKENS.Registry));
    if (options.dryRun) {
      reporter.out(describePlan(plan));
      return 'ok';
    }
    if (plan.trials.length === 0)
      throw new AnnealError('CONFIG_INVALID', 'every point of the sweep was dropped; nothing to run', {
        hint: describePlan(plan),
      });
    dir = options.out ? resolve(options.out) : resolve(plan.trials[0].config.output.dir, plan.name, `sweep-${stamp()}`);
    mkdirSync(dir, { recursive: true });
    lock = lockDir(dir, 'sweep');
    try {
      createSweepDir(dir, plan);
    } catch (error) {
      lock.release();
      throw error;
    }
    parallelDefault = plan.sweep.parallel;
    reporter.info(`${describePlan(plan).split('\n')[0]}\nsweep dir: ${dir}`);
  }
  try {
    return await drive(dir, options, parallelDefault, reporter);
  } finally {
    lock.release();
  }
}

async function drive(
  dir: string,
  options: SweepOptions,
  parallelDefault: number | undefined,
  reporter: Reporter,
): Promise<Outcome> {
  const slots = options.parallel ?? parallelDefault ?? availableParallelism();
  const launcher = new ProcessLauncher(slots, workerScript(), workerArgs());
  const controller = new AbortController();
  const onSigint = () => {
    reporter.info('\nstopping: running trials finish their batch and are left for --resume…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const manifest = readManifest(dir);
  const onProgress = (p: SweepProgress) => {
    if (p.retry)
      reporter.info(`retrying ${p.retry.id} (attempt ${p.retry.attempt} of ${p.retry.of}) after: ${p.retry.message}`);
    if (!p.outcome) return;
    const o = p.outcome;
    const row = `[${p.done}/${p.total}] ${o.id} ${manifest.keys.map((k) => `${k.split('.').pop()}=${show(o.point[k])}`).join(' ')}: ${o.status}${o.message ? ` (${o.message})` : ''} in ${o.seconds.toFixed(1)}s`;
    const best = p.best ? ` · best ${manifest.sweep.metric} ${p.best.value.toFixed(4)} (${p.best.id})` : '';
    reporter.info(
      `${row}${best} · running ${p.running} · failed ${p.failed}${p.etaSeconds !== undefined && p.done < p.total ? ` · ETA ${duration(p.etaSeconds)}` : ''}`,
    );
  };
  try {
    const result = await runSweep(dir, {
      launcher,
      onProgress,
      signal: controller.signal,
      plots: options.plots,
      maxFailures: options.failFast ? 0 : options.maxFailures,
      retries: options.retries,
    });
    reporter.out(
      rankingTable(result.rows.slice(), manifest.keys, manifest.sweep.metric, manifest.sweep.goal)
        .split('\n')
        .slice(0, 12)
        .join('\n'),
    );
    reporter.info(
      `\nresults: ${join(dir, 'results.csv')}\nsummary: ${join(dir, 'summary.md')}\nbest:    ${join(dir, 'best.yaml')}`,
    );
    const unfinished = result.rows.filter(
      (r) => r.status === 'pending' || r.status === 'running' || r.status === 'interrupted',
    ).length;
    const resume = expCommand(`sweep --resume ${dir}`);
    if (controller.signal.aborted) {
      reporter.warn(`${unfinished} trials did not finish; continue with: ${resume}`);
      return 'interrupted';
    }
    // docs/errors.md: failed trials make the sweep fail (exit 1), unless --max-failures allows them.
    const failed = result.rows.filter((r) => r.status === 'failed').length;
    const allowed = options.failFast ? 0 : (options.maxFailures ?? 0);
    if (failed > allowed || unfinished) {
      throw new AnnealError(
        'SWEEP_FAILED',
        `${failed} of ${result.rows.length} trials failed${unfinished ? `; ${unfinished} trials did not finish (stopped after too many failures)` : ''}`,
        {
          hint: `their messages are in ${join(dir, 'summary.md')} and results.csv; fix the cause and continue with: ${resume}${allowed === 0 && !options.failFast ? ' (or accept up to n failures with --max-failures n)' : ''}`,
        },
      );
    }
    if (failed) reporter.warn(`${failed} trials failed (allowed by --max-failures ${allowed}); see summary.md`);
    return 'ok';
  } finally {
    process.off('SIGINT', onSigint);
  }
}
