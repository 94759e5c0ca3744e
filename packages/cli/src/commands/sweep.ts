import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import {
  AnnealError,
  expCommand,
  lockDir,
  LOCK_FILE,
  planSweep,
  TOKENS,
  type DirLock,
  type PluginRegistry,
  type SweepPlan,
} from '@anneal/core';
import {
  ashaExpectedEpochs,
  checkQueueUrl,
  createSweepDir,
  DEFAULT_PREFIX,
  loadSweepPlan,
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
import { type Outcome, trapInterrupts } from '../boundary.ts';
import type { LauncherFactories } from '../launchers.ts';
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
  /** A Redis URL: trials go to `exp worker` processes (else ANNEAL_QUEUE, else `sweep.queue`). */
  queue?: string;
  /** Namespaces the queue's keys per project (else ANNEAL_QUEUE_PREFIX, else `anneal`). */
  prefix?: string;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const duration = (s: number) =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;

/** A TPE proposal's epochs at most: the base config's, or the largest a swept train.epochs allows. */
function tpeEpochs(plan: SweepPlan): number {
  const p = plan.sweep.parameters['train.epochs'];
  if (!p) return plan.base.run.epochs;
  const values = Array.isArray(p) ? p : [p.max];
  return Math.max(1, ...values.filter((v): v is number => typeof v === 'number'));
}

function describePlan(plan: SweepPlan): string {
  const tpe = plan.sweep.method === 'tpe';
  // A TPE sweep's trials are proposed while it runs: its budget is sweep.trials proposals.
  const trialEpochs = tpe
    ? Array<number>(plan.sweep.trials).fill(tpeEpochs(plan))
    : plan.trials.map((t) => t.run.epochs);
  const lines = [
    `${trialEpochs.length} trials (${plan.sweep.method} over ${plan.keys.join(', ')}${plan.sweep.repeats > 1 ? `, ${plan.sweep.repeats} seeds each` : ''}), ranked by ${plan.sweep.metric} (${plan.sweep.goal})`,
  ];
  // The budget before anything runs: every trial's epochs (early stopping can only shorten them).
  const epochs = trialEpochs.reduce((a, e) => a + e, 0);
  const pruner = plan.sweep.pruner;
  // ASHA's expectation if 1/η of the trials goes on at each rung (pruners.ts); the median pruner has none.
  const expected =
    pruner?.name === 'asha'
      ? `, about ${Math.round(trialEpochs.reduce((a, e) => a + ashaExpectedEpochs(pruner.minEpochs, pruner.reductionFactor, e), 0))} expected with the asha pruner`
      : pruner
        ? `, fewer with the ${pruner.name} pruner`
        : '';
  lines.push(`budget: ${trialEpochs.length} trials, at most ${epochs} epochs${expected}`);
  for (const note of plan.notes) lines.push(`note: ${note}`);
  if (tpe)
    lines.push(
      `  (points are proposed as trials finish, seeded by sweep.seed ${plan.sweep.seed ?? plan.base.config.seed}; proposals.jsonl records them)`,
    );
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
): Promise<Outcome> {
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  if (!file && !options.resume)
    throw new AnnealError('USAGE', 'missing config file', {
      hint: `${expCommand('sweep <config.yaml> [key=a,b,c …]')}, or ${expCommand('sweep --resume <sweep dir>')}`,
    });
  if (file && options.resume) throw new AnnealError('USAGE', 'give a config file or --resume DIR, not both');
  let dir: string;
  let parallelDefault: number | undefined;
  let plan: SweepPlan | undefined;
  let url: string | undefined;
  const record = options.resume ? readQueueRecord(resolve(options.resume)) : undefined;
  if (options.resume) {
    dir = resolve(options.resume);
    parallelDefault = readManifest(dir).sweep.parallel;
    // The record keeps the URL without its password: give it again (--queue, ANNEAL_QUEUE) if Redis needs one.
    url = queueUrl(options, record?.url);
    reporter.info(`resuming sweep ${dir}`);
  } else {
    plan = await planSweep(file!, args, container.resolve<PluginRegistry>(TOKENS.Registry));
    if (options.dryRun) {
      reporter.out(describePlan(plan));
      return 'ok';
    }
    if (plan.trials.length === 0 && plan.sweep.method !== 'tpe')
      throw new AnnealError('CONFIG_INVALID', 'every point of the sweep was dropped; nothing to run', {
        hint: describePlan(plan),
      });
    url = queueUrl(options, plan.sweep.queue);
    // sweep.json keeps the plan; a password in `sweep.queue` must not go with it.
    if (plan.sweep.queue) plan.sweep.queue = withoutPassword(plan.sweep.queue);
    dir = options.out ? resolve(options.out) : resolve(plan.trials[0].config.output.dir, plan.name, `sweep-${stamp()}`);
    parallelDefault = plan.sweep.parallel;
  }
  // Proposals follow the order trials finish in, which only this process sees; workers elsewhere could not be asked.
  if (url && (plan?.sweep ?? readManifest(dir).sweep).method === 'tpe')
    throw new AnnealError(
      'USAGE',
      'sweep.method tpe does not work with a queue yet: it proposes each trial as one finishes here',
      {
        hint: 'run the sweep without --queue (ANNEAL_QUEUE, sweep.queue), or use method: random',
      },
    );
  // One process drives a sweep directory at a time (see dir-lock.ts); released at the end.
  const created = !options.resume;
  if (created) mkdirSync(dir, { recursive: true });
  const lock: DirLock = lockDir(dir, 'sweep');
  const abandon = () => {
    lock.release();
    // A new sweep that never started leaves no directory behind (only the lock was in it).
    if (created && readdirSync(dir).filter((f) => f !== LOCK_FILE).length === 0) rmdirSync(dir);
  };
  try {
    return await drive(container, reporter, dir, options, { plan, url, record, parallelDefault }, abandon);
  } finally {
    lock.release();
  }
}

async function drive(
  container: DependencyContainer,
  reporter: Reporter,
  dir: string,
  options: SweepOptions,
  {
    plan,
    url,
    record,
    parallelDefault,
  }: {
    plan?: SweepPlan;
    url?: string;
    record?: ReturnType<typeof readQueueRecord>;
    parallelDefault?: number;
  },
  abandon: () => void,
): Promise<Outcome> {
  const slots = options.parallel ?? parallelDefault ?? availableParallelism();
  const target = url
    ? { url, prefix: options.prefix ?? process.env.ANNEAL_QUEUE_PREFIX ?? record?.prefix ?? DEFAULT_PREFIX }
    : undefined;
  const controller = new AbortController();
  const sweepName = plan?.name ?? readManifest(dir).name;
  // The launcher is a registration of the composition root, chosen by kind. It is made (and the
  // queue reached) before a new sweep directory exists, so a bad queue leaves nothing behind.
  const sweepKey = record?.key ?? newSweepKey(sweepName);
  const factories = container.resolve<LauncherFactories>(TOKENS.Launchers);
  let launcher: Awaited<ReturnType<LauncherFactories['local']>>;
  try {
    launcher = await factories[target ? 'queue' : 'local']({
      dir,
      name: sweepName,
      slots,
      // On a queue, --parallel (or sweep.parallel) bounds the trials in flight: 1 runs them in plan order.
      queue: target && { ...target, sweepKey, window: options.parallel ?? parallelDefault },
      signal: controller.signal,
      notice: (text) => reporter.info(text),
    });
  } catch (error) {
    abandon();
    throw error;
  }
  let proposing: SweepPlan | undefined;
  try {
    if (plan) createSweepDir(dir, plan);
    if (target && !record) writeQueueRecord(dir, sweepKey, target);
    // A TPE sweep makes its trials from the base config it keeps, on the first run as on --resume.
    if (readManifest(dir).sweep.method === 'tpe')
      proposing = await loadSweepPlan(dir, container.resolve<PluginRegistry>(TOKENS.Registry));
  } catch (error) {
    await launcher.close();
    abandon();
    throw error;
  }
  if (plan) reporter.info(`${describePlan(plan).split('\n')[0]}\nsweep dir: ${dir}`);
  if (target)
    reporter.info(
      `queue: ${redact(target.url)} (prefix ${target.prefix}); start workers with: ${expCommand(`worker ${redact(target.url)}`)}`,
    );
  // Ctrl-C once: running trials finish their batch (also when only this process got the signal,
  // e.g. `kill -INT` or a supervisor's SIGTERM) and are left for --resume. Twice: leave at once.
  const release = trapInterrupts(() => {
    reporter.info(
      target
        ? `\nstopping: the workers carry on with the queued trials; collect them with ${expCommand(`sweep --resume ${dir}`)}`
        : '\nstopping: running trials finish their batch and are left for --resume (Ctrl-C again to quit at once)…',
    );
    controller.abort();
    launcher.interrupt?.();
  });
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
      plan: proposing,
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
    // A TPE sweep's budget not yet proposed is unfinished too.
    const unfinished =
      result.rows.filter((r) => r.status === 'pending' || r.status === 'running' || r.status === 'interrupted').length +
      result.unproposed;
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
    release();
  }
}
