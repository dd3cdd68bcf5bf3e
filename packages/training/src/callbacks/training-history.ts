import type { TrainerCallback } from '../trainer/trainer-callback';
import type { BatchLogs, EpochLogs } from '../trainer/trainer-types';

/**
 * Records loss/metric curves: one row per epoch (and, optionally, per batch), exportable as JSON
 * or CSV for plotting.
 *
 * @example
 * ```ts
 * const history = new TrainingHistory();
 * await trainer.fit(data, { epochs: 10, callbacks: [history] });
 * await writeFile('history.csv', history.toCSV());
 * ```
 */
export class TrainingHistory implements TrainerCallback {
  /** One row per completed epoch: `{ epoch, loss, learningRate, val_loss, ... }`. */
  readonly epochs: (EpochLogs & { epoch: number })[] = [];
  /** One row per batch, when `recordBatches` is set. */
  readonly batches: BatchLogs[] = [];

  constructor(private readonly options: { /** Also keep every batch's logs (default false). */ recordBatches?: boolean } = {}) {}

  onBatchEnd(logs: BatchLogs): void {
    if (this.options.recordBatches) this.batches.push({ ...logs });
  }

  onEpochEnd(epoch: number, logs: EpochLogs): void {
    this.epochs.push({ epoch, ...logs });
  }

  /** The curves as `{ epochs, batches }` JSON. */
  toJSON(): { epochs: (EpochLogs & { epoch: number })[]; batches: BatchLogs[] } {
    return { epochs: this.epochs, batches: this.batches };
  }

  /** The epoch rows as CSV: a header of every column seen (epoch first), empty cells where a value is missing. */
  toCSV(): string {
    const columns = ['epoch', ...new Set(this.epochs.flatMap((row) => Object.keys(row).filter((key) => key !== 'epoch')))];
    const lines = this.epochs.map((row) => columns.map((column) => (row[column] === undefined ? '' : String(row[column]))).join(','));
    return `${[columns.join(','), ...lines].join('\n')}\n`;
  }
}
