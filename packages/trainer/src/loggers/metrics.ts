import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchInfo, EpochRow, TrainerHooks } from '../hooks.ts';

export const metricColumns = ['epoch', 'step', 'lr', 'loss', 'acc', 'val_loss', 'val_acc', 'seconds'] as const;

/** metrics.csv's columns: `momentum` after `lr` when the schedule cycles it. */
const columnsFor = (momentum: boolean): readonly (keyof EpochRow)[] =>
  momentum ? ['epoch', 'step', 'lr', 'momentum', ...metricColumns.slice(3)] : metricColumns;

/**
 * metrics.jsonl + metrics.csv (a row an epoch) and lr.csv (a row a step: the rate applied to
 * that batch, whatever the schedule's unit, so it can be compared with `exp schedule`). When
 * the schedule cycles the momentum, both carry it too: a `momentum` column after `lr` in
 * metrics.csv, and last in lr.csv (`step,epoch,lr,momentum`, so the rate stays the third).
 * Rows are appended as they happen, so a crashed run keeps what it did; a resumed run first
 * rewrites them from its checkpoint, dropping epochs the checkpoint does not hold.
 */
export class MetricsLogger implements TrainerHooks {
  private lrRows: string[] = [];
  private readonly columns: readonly (keyof EpochRow)[];

  constructor(
    private readonly dir: string,
    private readonly previous: EpochRow[] = [],
    private readonly momentum = false,
  ) {
    this.columns = columnsFor(momentum);
  }

  private csvRow(row: EpochRow): string {
    return this.columns.map((c) => (row[c] === null || row[c] === undefined ? '' : String(row[c]))).join(',');
  }

  onRunStart(): void {
    writeFileSync(join(this.dir, 'metrics.jsonl'), this.previous.map((r) => `${JSON.stringify(r)}\n`).join(''));
    writeFileSync(
      join(this.dir, 'metrics.csv'),
      [this.columns.join(','), ...this.previous.map((r) => this.csvRow(r))].map((l) => `${l}\n`).join(''),
    );
    const file = join(this.dir, 'lr.csv');
    const doneSteps = this.previous.at(-1)?.step ?? 0;
    const kept =
      existsSync(file) && doneSteps > 0
        ? readFileSync(file, 'utf8')
            .split('\n')
            .slice(1)
            .filter((l) => l && Number(l.split(',')[0]) < doneSteps)
        : [];
    const header = this.momentum ? 'step,epoch,lr,momentum' : 'step,epoch,lr';
    writeFileSync(file, [header, ...kept].map((l) => `${l}\n`).join(''));
  }

  onBatchEnd(b: BatchInfo): void {
    this.lrRows.push(this.momentum ? `${b.step},${b.epoch},${b.lr},${b.momentum}` : `${b.step},${b.epoch},${b.lr}`);
  }

  onEpochEnd(row: EpochRow): void {
    appendFileSync(join(this.dir, 'metrics.jsonl'), `${JSON.stringify(row)}\n`);
    appendFileSync(join(this.dir, 'metrics.csv'), `${this.csvRow(row)}\n`);
    this.flushLr();
  }

  onRunEnd(): void {
    this.flushLr();
  }

  private flushLr(): void {
    if (!this.lrRows.length) return;
    appendFileSync(join(this.dir, 'lr.csv'), this.lrRows.map((l) => `${l}\n`).join(''));
    this.lrRows = [];
  }
}
