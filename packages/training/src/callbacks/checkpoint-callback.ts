import type * as tf from '@tensorflow/tfjs';
import type { TrainerCallback } from '../trainer/trainer-callback';

/** Settings of {@link checkpointCallback}. */
export interface CheckpointCallbackConfig {
  /**
   * Where to save: a URL (`file://dir`, `indexeddb://name`), a handler, or a function of the
   * epoch (the one ending, or running for `everySteps` saves) and optimizer step returning one.
   */
  destination: string | tf.io.IOHandler | ((epoch: number, step: number) => string | tf.io.IOHandler);
  /** Save at the end of every this many epochs. Default 1, or never when only `everySteps` is set. */
  everyEpochs?: number;
  /**
   * Also save mid-epoch, after every this many optimizer updates (with gradient accumulation,
   * right after the update). Such a checkpoint resumes inside the epoch: same shuffled order,
   * same RNG state, only the remaining batches. Default: none.
   */
  everySteps?: number;
  /** With `monitor`, save only when it improves (default: save every time). Epoch-end saves only. */
  monitor?: string;
  /** Whether lower (default) or higher `monitor` values are better. */
  mode?: 'min' | 'max';
}

/**
 * Saves a full checkpoint (weights, optimizer state, epoch, step, RNG, position in the epoch) at
 * the end of epochs and/or every `everySteps` updates, so a crash or a NaN stop leaves the last
 * good one on disk. `savedEpochs` and `savedSteps` list what it saved.
 *
 * @example
 * ```ts
 * await trainer.fit(data, { epochs: 20, callbacks: [checkpointCallback({ destination: 'file://./checkpoints/run-1' })] });
 * // Long epochs: also every 500 updates; `trainer.load(...)` then `fit` resumes inside the epoch.
 * checkpointCallback({ destination: 'indexeddb://run-1', everySteps: 500 });
 * ```
 */
export function checkpointCallback(config: CheckpointCallbackConfig): TrainerCallback & { readonly savedEpochs: number[]; readonly savedSteps: number[] } {
  const { destination, everySteps, everyEpochs = everySteps === undefined ? 1 : undefined, monitor, mode = 'min' } = config;
  if (everyEpochs !== undefined && !(Number.isInteger(everyEpochs) && everyEpochs >= 1)) throw new RangeError(`everyEpochs must be a positive integer, got ${everyEpochs}`);
  if (everySteps !== undefined && !(Number.isInteger(everySteps) && everySteps >= 1)) throw new RangeError(`everySteps must be a positive integer, got ${everySteps}`);
  const resolve = (epoch: number, step: number) => (typeof destination === 'function' ? destination(epoch, step) : destination);
  const savedEpochs: number[] = [];
  const savedSteps: number[] = [];
  let best: number | undefined;
  return {
    savedEpochs,
    savedSteps,
    async onBatchEnd(logs, context) {
      // Once per update: with gradient accumulation the step stays put for several batches.
      if (everySteps === undefined || logs.step === 0 || logs.step % everySteps !== 0 || savedSteps.at(-1) === logs.step) return;
      if (context.trainer.state.accumulatedBatches > 0) return; // not the batch that made the update
      await context.trainer.save(resolve(logs.epoch, logs.step));
      savedSteps.push(logs.step);
    },
    async onEpochEnd(epoch, logs, context) {
      if (everyEpochs === undefined || (epoch + 1) % everyEpochs !== 0) return;
      if (monitor !== undefined) {
        const value = logs[monitor];
        if (value === undefined) throw new RangeError(`checkpointCallback: monitored metric "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ')})`);
        if (best !== undefined && (mode === 'min' ? value >= best : value <= best)) return;
        best = value;
      }
      await context.trainer.save(resolve(epoch, context.trainer.state.step));
      savedEpochs.push(epoch);
    },
  };
}
