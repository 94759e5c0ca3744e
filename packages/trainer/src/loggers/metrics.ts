import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchInfo, EpochRow, TrainerHooks } from '../hooks.ts';

export const metricColumns = ['epoch', 'step', 'lr', 'loss', 'acc', 'val_loss', 'val_acc', 'seconds'] as const;

const csvRow = (row: EpochRow) => metricColumns.map((c) => (row[c] === null ? '' : String(row[c]))).join(',');

/**
 * metrics.jsonl + metrics.csv (a row an epoch) and lr.csv (a row a step: the rate applied to
 * that batch, whatever the schedule's unit, so it can be compared with `exp schedule`).
 * Rows are appended as they happen, so a crashed run keeps what it did; a resumed run first
 * rewrites them from its checkpoint, dropping epochs the checkpoint does not hold.
 */
export class MetricsLogger implements TrainerHooks {
  private lrRows: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly previous: EpochRow[] = [],
  ) {}

  onRunStart(): void {
    writeFileSync(join(this.dir, 'metrics.jsonl'), this.previous.map((r) => `${JSON.stringify(r)}\n`).join(''));
    writeFileSync(
      join(this.dir, 'metrics.csv'),
      [metricColumns.join(','), ...this.previous.map(csvRow)].map((l) => `${l}\n`).join(''),
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
    writeFileSync(file, ['step,epoch,lr', ...kept].map((l) => `${l}\n`).join(''));
  }

  onBatchEnd(b: BatchInfo): void {
    this.lrRows.push(`${b.step},${b.epoch},${b.lr}`);
  }

  onEpochEnd(row: EpochRow): void {
    appendFileSync(join(this.dir, 'metrics.jsonl'), `${JSON.stringify(row)}\n`);
    appendFileSync(join(this.dir, 'metrics.csv'), `${csvRow(row)}\n`);
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
