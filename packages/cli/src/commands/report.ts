import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '@anneal/core';
import { countByStatus, rankingTable, readManifest, writeResults } from '@anneal/sweep';
import type { Reporter } from '../reporter.ts';

/** `exp report DIR`: rebuild the results of a finished or partial sweep and print the ranking. */
export async function report(container: DependencyContainer, dir: string): Promise<void> {
  const manifest = readManifest(dir);
  const rows = await writeResults(dir, manifest);
  const counts = countByStatus(rows);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  // A damaged trial is left out of the ranking, not a reason to give up on the sweep.
  for (const r of rows) if (r.status === 'damaged') reporter.warn(`skipped trial ${r.id}: ${r.message}`);
  reporter.out(
    `sweep ${manifest.name}: ${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}; ranked by ${manifest.sweep.metric} (${manifest.sweep.goal})\n`,
  );
  reporter.out(rankingTable(rows, manifest.keys, manifest.sweep.metric, manifest.sweep.goal));
}
