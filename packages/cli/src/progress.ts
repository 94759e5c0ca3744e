import { SingleBar } from 'cli-progress';
import type { BatchInfo, EpochRow, RunStart, TrainerHooks } from '@anneal/trainer';
import type { Reporter } from './reporter.ts';

const f = (x: number | null, digits = 4) => (x === null ? '—' : x.toFixed(digits));
const rate = (x: number) => (x === 0 ? '0' : x.toExponential(2));

/** Per epoch: a live bar (loss, rate, ETA) on a TTY; otherwise one plain line when it ends. */
export class ProgressHook implements TrainerHooks {
  private bar?: SingleBar;
  private epochs = 0;

  constructor(
    private readonly reporter: Reporter,
    private readonly quiet: boolean,
  ) {}

  onRunStart(run: RunStart): void {
    this.epochs = run.epochs;
    if (this.quiet) return;
    this.reporter.info(`run dir  ${run.dir}`);
    this.reporter.info(`backend  ${run.backendNote}`);
    this.reporter.info(
      `data     ${run.trainExamples} train / ${run.valExamples} val, ${run.stepsPerEpoch} steps per epoch`,
    );
    for (const problem of run.resumedFrom?.damaged ?? [])
      this.reporter.warn(`passed over a damaged checkpoint: ${problem}`);
    // Epochs as people count them (from 1): "resuming after epoch 3/12" is then followed by "epoch 4/12".
    if (run.resumedFrom)
      this.reporter.info(
        `resume   from ${run.resumedFrom.checkpoint}, after epoch ${run.startEpoch}/${run.epochs}; next: epoch ${run.startEpoch + 1}/${run.epochs}`,
      );
  }

  onBatchEnd(b: BatchInfo): void {
    if (this.quiet || !this.reporter.tty) return;
    if (!this.bar) {
      this.bar = new SingleBar({
        format: `epoch ${b.epoch + 1}/${this.epochs} [{bar}] {value}/{total} loss {loss} lr {lr} eta {eta}s`,
        hideCursor: true,
        stream: process.stderr,
      });
      this.bar.start(b.batches, 0, { loss: f(b.loss), lr: rate(b.lr) });
    }
    if (b.batch % 5 === 0 || b.batch === b.batches - 1)
      this.bar.update(b.batch + 1, { loss: f(b.loss), lr: rate(b.lr) });
  }

  onEpochEnd(row: EpochRow): void {
    this.bar?.stop();
    this.bar = undefined;
    if (this.quiet) return;
    this.reporter.info(
      `epoch ${String(row.epoch + 1).padStart(String(this.epochs).length)}/${this.epochs}  loss ${f(row.loss)}  acc ${f(row.acc)}  val_loss ${f(row.val_loss)}  val_acc ${f(row.val_acc)}  lr ${rate(row.lr)}  ${row.seconds.toFixed(1)}s`,
    );
  }

  onRunEnd(): void {
    this.bar?.stop();
  }
}
