import type { DependencyContainer } from 'tsyringe';
import { AnnealError, TOKENS } from '@anneal/core';
import { countByStatus, rankingTable, readManifest, writeResults } from '@anneal/sweep';
import type { Reporter } from '../reporter.ts';

/** `exp report DIR`: rebuild the results of a finished or partial sweep and print the ranking. */
export async function report(container: DependencyContainer, dir: string): Promise<void> {
  let manifest: ReturnType<typeof readManifest>;
  try {
    manifest = readManifest(dir);
  } catch (error) {
    throw new AnnealError('USAGE', (error as Error).message, { hint: 'pass a directory made by `exp sweep`' });
  }
  const rows = await writeResults(dir, manifest);
  const counts = countByStatus(rows);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  reporter.out(
    `sweep ${manifest.name}: ${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ')}; ranked by ${manifest.sweep.metric} (${manifest.sweep.goal})\n`,
  );
  reporter.out(rankingTable(rows, manifest.keys, manifest.sweep.metric, manifest.sweep.goal));
}
