import type { BatchInfo, EpochRow, RunStart, TrainerHooks } from '../hooks.ts';
import { EventWriter } from '../tfevents.ts';

/**
 * TensorBoard scalars, named like Keras's TensorBoard callback: `epoch_*` per epoch (x = epoch)
 * and, with `unit: step`, `learning_rate` at every step (x = global step).
 */
export class TensorBoardLogger implements TrainerHooks {
  private writer?: EventWriter;
  private stepUnit = false;

  constructor(private readonly dir: string) {}

  async onRunStart(run: RunStart): Promise<void> {
    this.stepUnit = run.config.schedule.unit === 'step';
    // A resumed run starts a second events file (TensorBoard reads every file in the directory).
    this.writer = await EventWriter.open(
      this.dir,
      run.startEpoch ? { filenameSuffix: `.resumed-${run.startEpoch}` } : {},
    );
  }

  onBatchEnd(b: BatchInfo): void {
    if (this.stepUnit) this.writer?.scalar('learning_rate', b.lr, b.step);
  }

  async onEpochEnd(row: EpochRow): Promise<void> {
    const w = this.writer!;
    for (const key of ['lr', 'loss', 'acc', 'val_loss', 'val_acc'] as const) {
      const value = row[key];
      if (value !== null) w.scalar(key === 'lr' ? 'epoch_learning_rate' : `epoch_${key}`, value, row.epoch);
    }
    await w.flush();
  }

  async onRunEnd(): Promise<void> {
    await this.writer?.close();
  }
}
