import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { TrialRow } from './results.ts';
import { paths, type SweepManifest } from './sweep-dir.ts';

// The scalar tags a trial's TensorBoard file holds (docs/run-directory.md).
const METRIC_TAGS = ['loss', 'acc', 'val_loss', 'val_acc'];
const FINISHED: Record<string, 'success' | 'failure'> = {
  completed: 'success',
  diverged: 'failure',
  failed: 'failure',
};

const hasEvents = (dir: string) =>
  existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('events.out.tfevents.') && !f.endsWith('.hparams'));

/**
 * The sweep as TensorBoard's HParams dashboard shows it: swept keys against metrics, one session
 * per finished trial that wrote TensorBoard scalars (none when `output.tensorboard` is off).
 */
export async function writeSweepHparams(dir: string, manifest: SweepManifest, rows: TrialRow[]): Promise<void> {
  const sessions = rows.flatMap((r) => {
    const trialDir = paths.trial(dir, r.id);
    const status = FINISHED[r.status];
    if (!status || !hasEvents(trialDir)) return [];
    let summary: { startedAt?: string; finishedAt?: string } = {};
    try {
      summary = JSON.parse(readFileSync(paths.summary(dir, r.id), 'utf8'));
    } catch {
      // finished rows have a summary; keep going with times unknown
    }
    const secs = (iso?: string) => (iso ? Date.parse(iso) / 1000 : 0);
    return [
      {
        dir: trialDir,
        hparams: { ...r.point, seed: r.seed },
        group: JSON.stringify(r.point),
        status,
        startSecs: secs(summary.startedAt),
        endSecs: secs(summary.finishedAt),
      },
    ];
  });
  if (sessions.length === 0) return;
  const { writeHparams } = await import('@anneal/trainer/tensorboard');
  const metric = manifest.sweep.metric;
  await writeHparams(
    dir,
    {
      name: manifest.name,
      createdSecs: Date.parse(manifest.createdAt) / 1000 || 0,
      hparams: [
        ...manifest.keys.map((k) => {
          const p = manifest.sweep.parameters[k];
          return Array.isArray(p) ? { name: k, values: p } : { name: k, range: { min: p.min, max: p.max } };
        }),
        { name: 'seed', values: [...new Set(manifest.trials.map((t) => t.seed))] },
      ],
      metrics: [...new Set([metric, ...METRIC_TAGS])].map((m) => `epoch_${m}`),
    },
    sessions,
  );
}
