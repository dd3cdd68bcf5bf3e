import * as tf from '@tensorflow/tfjs';
import type { TrainerCallback } from '../trainer/trainer-callback';

/** Settings of {@link earlyStopping}. */
export interface EarlyStoppingConfig {
  /** The epoch log to watch, e.g. `'val_loss'` (default) or `'val_accuracy'`. */
  monitor?: string;
  /** Whether lower or higher is better. Default `'auto'`: max for names containing "acc", "f1", "precision" or "recall", else min. */
  mode?: 'min' | 'max' | 'auto';
  /** Epochs without improvement to wait before stopping (default 0). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the best epoch's weights when stopping or at the end (default false). */
  restoreBestWeights?: boolean;
}

/** An early-stopping callback; `bestEpoch` and `bestValue` are readable after training. */
export interface EarlyStopping extends TrainerCallback {
  readonly bestEpoch: number | undefined;
  readonly bestValue: number | undefined;
  readonly stoppedEpoch: number | undefined;
}

/**
 * Stops training when a metric stops improving, as Keras's EarlyStopping.
 *
 * @example
 * ```ts
 * await trainer.fit(data, { epochs: 100, validationSplit: 0.2,
 *   callbacks: [earlyStopping({ monitor: 'val_accuracy', patience: 3, restoreBestWeights: true })] });
 * ```
 */
export function earlyStopping(config: EarlyStoppingConfig = {}): EarlyStopping {
  const { monitor = 'val_loss', patience = 0, minDelta = 0, restoreBestWeights = false } = config;
  const mode = config.mode === 'min' || config.mode === 'max' ? config.mode : /acc|f1|precision|recall/.test(monitor) ? 'max' : 'min';
  if (!(Number.isInteger(patience) && patience >= 0)) throw new RangeError(`patience must be a non-negative integer, got ${patience}`);
  let bestEpoch: number | undefined;
  let bestValue: number | undefined;
  let stoppedEpoch: number | undefined;
  let waited = 0;
  let bestWeights: tf.Tensor[] | undefined;
  const improved = (value: number) => bestValue === undefined || (mode === 'min' ? value < bestValue - minDelta : value > bestValue + minDelta);
  return {
    get bestEpoch() {
      return bestEpoch;
    },
    get bestValue() {
      return bestValue;
    },
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    onTrainBegin() {
      waited = 0;
    },
    onEpochEnd(epoch, logs, context) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new RangeError(`earlyStopping: monitored metric "${monitor}" is not in the epoch logs (${Object.keys(logs).join(', ')})`);
      }
      if (improved(value)) {
        bestValue = value;
        bestEpoch = epoch;
        waited = 0;
        if (restoreBestWeights) {
          tf.dispose(bestWeights);
          bestWeights = context.trainer.model.weights.map((weight) => tf.clone(weight.variable));
        }
        return;
      }
      waited += 1;
      if (waited > patience) {
        stoppedEpoch = epoch;
        context.stop();
      }
    },
    onTrainEnd(context) {
      if (bestWeights && stoppedEpoch !== undefined) {
        context.trainer.model.weights.forEach((weight, index) => weight.variable.assign(bestWeights![index]!));
      }
      tf.dispose(bestWeights);
      bestWeights = undefined;
    },
  };
}
