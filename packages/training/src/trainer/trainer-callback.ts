import type { BatchLogs, EpochLogs } from './trainer-types';
import type { Trainer } from './trainer';

/** Passed to every callback hook. */
export interface CallbackContext {
  readonly trainer: Trainer;
  /** The `epochs` of this fit. */
  readonly epochs: number;
  /** Batches per epoch when known (in-memory data). */
  readonly batchesPerEpoch: number | undefined;
  /** Ask the trainer to stop after the current epoch. */
  stop(): void;
}

/**
 * Hooks into {@link Trainer.fit}. All are optional and may be async; the trainer awaits each.
 *
 * @example
 * ```ts
 * const printLoss: TrainerCallback = { onEpochEnd: (epoch, logs) => console.log(epoch, logs.loss) };
 * ```
 */
export interface TrainerCallback {
  onTrainBegin?(context: CallbackContext): void | Promise<void>;
  onEpochBegin?(epoch: number, context: CallbackContext): void | Promise<void>;
  onBatchEnd?(logs: BatchLogs, context: CallbackContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, context: CallbackContext): void | Promise<void>;
  /** Runs also when training throws (with `error` set). */
  onTrainEnd?(context: CallbackContext, error?: unknown): void | Promise<void>;
}
