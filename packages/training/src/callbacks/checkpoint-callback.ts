import type * as tf from '@tensorflow/tfjs';
import type { TrainerCallback } from '../trainer/trainer-callback';

/** Settings of {@link checkpointCallback}. */
export interface CheckpointCallbackConfig {
  /** Where to save: a URL (`file://dir`, `indexeddb://name`), a handler, or a function of the epoch returning one. */
  destination: string | tf.io.IOHandler | ((epoch: number) => string | tf.io.IOHandler);
  /** Save every this many epochs (default 1). */
  everyEpochs?: number;
  /** With `monitor`, save only when it improves (default: save every time). */
  monitor?: string;
  /** Whether lower (default) or higher `monitor` values are better. */
  mode?: 'min' | 'max';
}

/**
 * Saves a full checkpoint (weights, optimizer state, epoch, step, RNG) at the end of epochs, so a
 * crash or a NaN stop leaves the last good one on disk.
 *
 * @example
 * ```ts
 * await trainer.fit(data, { epochs: 20, callbacks: [checkpointCallback({ destination: 'file://./checkpoints/run-1' })] });
 * ```
 */
export function checkpointCallback(config: CheckpointCallbackConfig): TrainerCallback & { readonly savedEpochs: number[] } {
  const { destination, everyEpochs = 1, monitor, mode = 'min' } = config;
  if (!(Number.isInteger(everyEpochs) && everyEpochs >= 1)) throw new RangeError(`everyEpochs must be a positive integer, got ${everyEpochs}`);
  const savedEpochs: number[] = [];
  let best: number | undefined;
  return {
    savedEpochs,
    async onEpochEnd(epoch, logs, context) {
      if ((epoch + 1) % everyEpochs !== 0) return;
      if (monitor !== undefined) {
        const value = logs[monitor];
        if (value === undefined) throw new RangeError(`checkpointCallback: monitored metric "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ')})`);
        if (best !== undefined && (mode === 'min' ? value >= best : value <= best)) return;
        best = value;
      }
      await context.trainer.save(typeof destination === 'function' ? destination(epoch) : destination);
      savedEpochs.push(epoch);
    },
  };
}
