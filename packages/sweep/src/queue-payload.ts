import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { parseDocument } from 'yaml';
import { writeAtomic } from './sweep-dir.ts';
import type { TrialOutcome } from './launcher.ts';

/** What a job carries to a worker: the trial's fully resolved config and its one-file plugins. */
export interface TrialPayload {
  /** The sweep key: sweeps sharing a queue are told apart by it. */
  sweep: string;
  id: string;
  /** configs/<id>.yaml of the sweep directory, as text. */
  config: string;
  /** User plugins named by a path in `plugins:`, shipped as source so workers need no shared disk. */
  plugins: Array<{ spec: string; file: string; source: string }>;
  /** The sweep has a pruner: report every epoch and wait for its decision (queue-pruning.ts). */
  prune?: boolean;
}

/** What comes back: the outcome, where the run directory is, and the files a sweep ranks and plots from. */
export interface TrialResult {
  host: string;
  runDir: string;
  status: TrialOutcome['status'];
  message?: string;
  /** config.yaml, metrics.jsonl, metrics.csv, lr.csv, summary.json — whichever the run wrote. */
  files: Record<string, string>;
}

const RESULT_FILES = ['config.yaml', 'metrics.jsonl', 'metrics.csv', 'lr.csv', 'summary.json'];
/** A per-step LR trace of a long run could be megabytes; the sweep's plots need its shape only. */
const MAX_TRACE_ROWS = 5000;

/** A plugin file that imports its neighbours cannot travel alone; it must be installed on the workers. */
const relativeImport = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"](\.\.?\/[^'"]*)['"]/;

/** Built by the controller from a trial's config file in the sweep directory. */
export function buildPayload(sweep: string, id: string, configFile: string, prune?: boolean): TrialPayload {
  const config = readFileSync(configFile, 'utf8');
  const specs = (parseDocument(config).get('plugins') as { toJSON(): unknown } | undefined)?.toJSON();
  const plugins: TrialPayload['plugins'] = [];
  for (const spec of Array.isArray(specs) ? specs : []) {
    // Package names and plugins with relative imports are loaded on the worker as they are.
    if (typeof spec !== 'string' || !isAbsolute(spec) || !existsSync(spec)) continue;
    const source = readFileSync(spec, 'utf8');
    if (relativeImport.test(source)) continue;
    plugins.push({ spec, file: basename(spec), source });
  }
  return { sweep, id, config, plugins, ...(prune ? { prune } : {}) };
}

/**
 * Written by a worker under its `--out`: the plugins beside the config, with `plugins:` pointing
 * at these copies (a plugin's hash names its folder, so two sweeps' versions never mix).
 */
export function materialize(payload: TrialPayload, root: string): string {
  const doc = parseDocument(payload.config);
  const specs = (doc.get('plugins') as { toJSON(): unknown } | undefined)?.toJSON();
  if (Array.isArray(specs)) {
    const local = specs.map((spec) => {
      const shipped = payload.plugins.find((p) => p.spec === spec);
      if (!shipped) return spec;
      const hash = createHash('sha256').update(shipped.source).digest('hex').slice(0, 12);
      const file = join(root, 'plugins', hash, shipped.file);
      if (!existsSync(file)) writeAtomic(file, shipped.source);
      return file;
    });
    doc.set('plugins', local);
  }
  const file = join(root, 'configs', `${payload.id}.yaml`);
  writeAtomic(file, doc.toString());
  return file;
}

/** The result files of a run directory, with a long LR trace thinned to its shape. */
export function readResultFiles(runDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of RESULT_FILES) {
    const file = join(runDir, name);
    if (existsSync(file)) files[name] = readFileSync(file, 'utf8');
  }
  if (files['lr.csv']) files['lr.csv'] = thin(files['lr.csv']);
  return files;
}

function thin(csv: string): string {
  const [header, ...rows] = csv.trimEnd().split('\n');
  if (rows.length <= MAX_TRACE_ROWS) return csv;
  const every = Math.ceil(rows.length / MAX_TRACE_ROWS);
  const kept = rows.filter((_, i) => i % every === 0 || i === rows.length - 1);
  return `${[header, ...kept].join('\n')}\n`;
}

/**
 * Lay a worker's result into the sweep's trial directory. summary.json goes last and records the
 * host and the worker's run directory: once it is there the trial counts as finished.
 */
export function writeResult(trialDir: string, result: TrialResult, name: string): void {
  mkdirSync(trialDir, { recursive: true });
  for (const [file, text] of Object.entries(result.files))
    if (file !== 'summary.json') writeAtomic(join(trialDir, file), text);
  let summary: Record<string, unknown> = { name };
  try {
    summary = JSON.parse(result.files['summary.json'] ?? '{}');
  } catch {
    // a run that died before writing its summary: the outcome below is all there is
  }
  summary.status = result.status;
  if (result.message !== undefined) summary.message = result.message;
  summary.host = result.host;
  summary.runDir = result.runDir;
  // The worker's pid means nothing on this host; `--resume` must not try to stop it.
  delete summary.pid;
  writeAtomic(join(trialDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/** A worker's run directory that already holds a finished run: its result is sent again, not recomputed. */
export function finishedRun(runDir: string): { status: TrialResult['status']; message?: string } | undefined {
  try {
    const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { status?: string; message?: string };
    return s.status === 'completed' || s.status === 'diverged' || s.status === 'pruned'
      ? { status: s.status, ...(s.message ? { message: s.message } : {}) }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A run directory left by a killed or interrupted run, with a checkpoint to continue from. */
export function resumable(runDir: string): boolean {
  const last = join(runDir, 'checkpoints', 'last');
  return (
    existsSync(join(runDir, 'config.yaml')) && [last, `${last}.old`].some((d) => existsSync(join(d, 'state.json')))
  );
}
