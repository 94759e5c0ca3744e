import type { BatchInfo, EpochRow, RunStart, TrainerHooks } from '../hooks.ts';
import { EventWriter } from '../tfevents.ts';

/**
 * TensorBoard scalars, named like Keras's TensorBoard callback: `epoch_*` per epoch (x = epoch)
 * and, with `unit: step`, `learning_rate` at every step (x = global step). A schedule that cycles
 * the momentum adds `epoch_momentum` and, per step, `momentum`, beside the rate.
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
    if (!this.stepUnit) return;
    this.writer?.scalar('learning_rate', b.lr, b.step);
    if (b.momentum !== undefined) this.writer?.scalar('momentum', b.momentum, b.step);
  }

  async onEpochEnd(row: EpochRow): Promise<void> {
    const w = this.writer!;
    for (const key of ['lr', 'momentum', 'loss', 'acc', 'val_loss', 'val_acc'] as const) {
      const value = row[key];
      if (value !== null && value !== undefined)
        w.scalar(key === 'lr' ? 'epoch_learning_rate' : `epoch_${key}`, value, row.epoch);
    }
    await w.flush();
  }

  async onRunEnd(): Promise<void> {
    await this.writer?.close();
  }
}
