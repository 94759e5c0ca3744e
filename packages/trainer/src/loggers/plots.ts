import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schedule } from '@anneal/core';
import type { EpochRow, RunSummary, TrainerHooks } from '../hooks.ts';

/** plots/lr.svg (the rate actually used) and plots/metrics.svg, drawn once at the end of the run. */
export class PlotsLogger implements TrainerHooks {
  constructor(
    private readonly dir: string,
    private readonly unit: 'epoch' | 'step',
    private readonly schedule: Schedule,
  ) {}

  async onRunEnd(summary: RunSummary): Promise<void> {
    const rows: EpochRow[] = readFileSync(join(this.dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    if (rows.length === 0) return;
    const { lrChart, metricsChart, writeChart } = await import('@anneal/plot');
    const lr =
      this.unit === 'step'
        ? readFileSync(join(this.dir, 'lr.csv'), 'utf8')
            .split('\n')
            .slice(1)
            .filter(Boolean)
            .map((l) => Number(l.split(',')[2]))
        : rows.map((r) => r.lr);
    await writeChart(
      join(this.dir, 'plots', 'lr.svg'),
      lrChart({
        unit: this.unit,
        series: [{ name: summary.name, lr }],
        phases: this.schedule.phases.filter((p) => p.start < lr.length),
        title: `learning rate — ${summary.name}`,
      }),
    );
    await writeChart(
      join(this.dir, 'plots', 'metrics.svg'),
      metricsChart({
        rows: rows as never,
        x: 'epoch',
        metrics: ['loss', 'val_loss', 'acc', 'val_acc'],
        title: summary.name,
      }),
    );
  }
}
