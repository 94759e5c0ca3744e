import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schedule } from '@anneal/core';
import type { EpochRow, RunSummary, TrainerHooks } from '../hooks.ts';

type PlotModule = typeof import('@anneal/plot');

/** plots/lr.svg (the rate actually used, and the momentum when cycled) and plots/metrics.svg, drawn once at the end of the run. */
export class PlotsLogger implements TrainerHooks {
  private plot: Promise<PlotModule> | undefined;

  constructor(
    private readonly dir: string,
    private readonly unit: 'epoch' | 'step',
    private readonly schedule: Schedule,
  ) {}

  /**
   * Starts loading the chart library (vega, vega-lite, resvg: ~80% of the plots' cost) while
   * the model trains, so the end of the run only draws. The loader hooks run on their own
   * thread and the trainer yields between batches, so the load overlaps training instead of
   * adding to the end. Not awaited here; a failure surfaces in onRunEnd.
   */
  onRunStart(): void {
    this.load().catch(() => {});
  }

  private load(): Promise<PlotModule> {
    this.plot ??= import('@anneal/plot');
    return this.plot;
  }

  async onRunEnd(summary: RunSummary): Promise<void> {
    const rows: EpochRow[] = readFileSync(join(this.dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    if (rows.length === 0) return;
    const { lrChart, metricsChart, writeChart } = await this.load();
    // Per step: lr.csv's `step,epoch,lr[,momentum]`; per epoch: the rows'.
    const steps =
      this.unit === 'step'
        ? readFileSync(join(this.dir, 'lr.csv'), 'utf8')
            .split('\n')
            .slice(1)
            .filter(Boolean)
            .map((l) => l.split(',').map(Number))
        : undefined;
    const lr = steps ? steps.map((c) => c[2]) : rows.map((r) => r.lr);
    const momentum = this.schedule.momentum
      ? steps
        ? steps.map((c) => c[3])
        : rows.map((r) => r.momentum ?? Number.NaN)
      : undefined;
    await writeChart(
      join(this.dir, 'plots', 'lr.svg'),
      lrChart({
        unit: this.unit,
        series: [{ name: summary.name, lr, ...(momentum ? { momentum } : {}) }],
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
