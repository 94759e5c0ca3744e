import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { AnnealError, planSweep, TOKENS, type PluginRegistry, type SweepPlan } from '@anneal/core';
import {
  checkQueueUrl,
  createSweepDir,
  DEFAULT_PREFIX,
  rankingTable,
  readManifest,
  newSweepKey,
  readQueueRecord,
  writeQueueRecord,
  redact,
  runSweep,
  withoutPassword,
  type SweepProgress,
} from '@anneal/sweep';
import type { LauncherFactories } from '../launchers.ts';
import type { Reporter } from '../reporter.ts';
import { LAUNCHERS } from '../root.ts';

export interface SweepOptions {
  out?: string;
  resume?: string;
  parallel?: number;
  dryRun?: boolean;
  maxFailures?: number;
  retries?: number;
  failFast?: boolean;
  plots?: boolean;
  /** A Redis URL: trials go to `exp worker` processes (else ANNEAL_QUEUE, else `sweep.queue`). */
  queue?: string;
  /** Namespaces the queue's keys per project (else ANNEAL_QUEUE_PREFIX, else `anneal`). */
  prefix?: string;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const duration = (s: number) =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;

function describePlan(plan: SweepPlan): string {
  const lines = [
    `${plan.trials.length} trials (${plan.sweep.method} over ${plan.keys.join(', ')}${plan.sweep.repeats > 1 ? `, ${plan.sweep.repeats} seeds each` : ''}), ranked by ${plan.sweep.metric} (${plan.sweep.goal})`,
  ];
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

/** The first of `--queue`, ANNEAL_QUEUE and the config's `sweep.queue` that is set, checked. */
function queueUrl(options: SweepOptions, fromConfig: string | undefined): string | undefined {
  const [url, where] = options.queue
    ? [options.queue, '--queue']
    : process.env.ANNEAL_QUEUE
      ? [process.env.ANNEAL_QUEUE, 'ANNEAL_QUEUE']
      : [fromConfig, 'sweep.queue'];
  if (url) checkQueueUrl(url, where);
  return url;
}

/** `exp sweep`: plan (or `--dry-run`), run the trials in worker processes, rank and plot. */
export async function sweep(
  container: DependencyContainer,
  file: string | undefined,
  args: string[],
  options: SweepOptions,
): Promise<number> {
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  if (!file && !options.resume)
    throw new AnnealError('USAGE', 'missing config file', {
      hint: 'exp sweep <config.yaml> [key=a,b,c …], or exp sweep --resume <sweep dir>',
    });
  if (file && options.resume) throw new AnnealError('USAGE', 'give a config file or --resume DIR, not both');
  let dir: string;
  let parallelDefault: number | undefined;
  let plan: SweepPlan | undefined;
  let url: string | undefined;
  const record = options.resume ? readQueueRecord(resolve(options.resume)) : undefined;
  if (options.resume) {
    dir = resolve(options.resume);
    try {
      parallelDefault = readManifest(dir).sweep.parallel;
    } catch (error) {
      throw new AnnealError('USAGE', (error as Error).message, { hint: 'pass the directory that `exp sweep` printed' });
    }
    // The record keeps the URL without its password: give it again (--queue, ANNEAL_QUEUE) if Redis needs one.
    url = queueUrl(options, record?.url);
    reporter.info(`resuming sweep ${dir}`);
  } else {
    plan = await planSweep(file!, args, container.resolve<PluginRegistry>(TOKENS.Registry));
    if (options.dryRun) {
      reporter.out(describePlan(plan));
      return 0;
    }
    if (plan.trials.length === 0)
      throw new AnnealError('CONFIG_INVALID', 'every point of the sweep was dropped; nothing to run', {
        hint: describePlan(plan),
      });
    url = queueUrl(options, plan.sweep.queue);
    // sweep.json keeps the plan; a password in `sweep.queue` must not go with it.
    if (plan.sweep.queue) plan.sweep.queue = withoutPassword(plan.sweep.queue);
    dir = options.out ? resolve(options.out) : resolve(plan.trials[0].config.output.dir, plan.name, `sweep-${stamp()}`);
    parallelDefault = plan.sweep.parallel;
  }
  const slots = options.parallel ?? parallelDefault ?? availableParallelism();
  const target = url
    ? { url, prefix: options.prefix ?? process.env.ANNEAL_QUEUE_PREFIX ?? record?.prefix ?? DEFAULT_PREFIX }
    : undefined;
  const controller = new AbortController();
  const sweepName = plan?.name ?? readManifest(dir).name;
  // The launcher is a registration of the composition root, chosen by kind. It is made (and the
  // queue reached) before a new sweep directory exists, so a bad queue leaves nothing behind.
  const sweepKey = record?.key ?? newSweepKey(sweepName);
  const factories = container.resolve<LauncherFactories>(LAUNCHERS);
  const launcher = await factories[target ? 'queue' : 'local']({
    dir,
    name: sweepName,
    slots,
    queue: target && { ...target, sweepKey },
    signal: controller.signal,
    notice: (text) => reporter.info(text),
  });
  try {
    if (plan) createSweepDir(dir, plan);
    if (target && !record) writeQueueRecord(dir, sweepKey, target);
  } catch (error) {
    await launcher.close();
    throw error;
  }
  if (plan) reporter.info(`${describePlan(plan).split('\n')[0]}\nsweep dir: ${dir}`);
  if (target)
    reporter.info(
      `queue: ${redact(target.url)} (prefix ${target.prefix}); start workers with: exp worker ${redact(target.url)}`,
    );
  const onSigint = () => {
    reporter.info(
      target
        ? `\nstopping: the workers carry on with the queued trials; collect them with exp sweep --resume ${dir}`
        : '\nstopping: running trials finish their batch and are left for --resume…',
    );
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
      `${row}${best} · ${launcher.activity?.() ?? `running ${p.running}`} · failed ${p.failed}${p.etaSeconds !== undefined && p.done < p.total ? ` · ETA ${duration(p.etaSeconds)}` : ''}`,
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
    if (unfinished) {
      reporter.warn(
        `${unfinished} trials did not finish${result.stoppedEarly && !controller.signal.aborted ? ' (stopped after too many failures)' : ''}; continue with: exp sweep --resume ${dir}`,
      );
      return controller.signal.aborted ? 130 : 1;
    }
    if (result.failed) reporter.warn(`${result.failed} trials failed; see summary.md`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
