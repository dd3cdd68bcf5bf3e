import * as tf from '@tensorflow/tfjs';
import { TensorLeakError } from './tensor-leak-error';

/** Options of {@link createLeakGuard}. */
export interface LeakGuardOptions {
  /** Tensors a step may add for good (e.g. optimizer slots created on the first step). Default 0. */
  tolerance?: number;
  /** Steps to run before the baseline is taken (optimizers create their slots lazily). Default 1. */
  warmupSteps?: number;
}

/** A per-step tensor-leak check for training loops. */
export interface LeakGuard {
  /** Call after each step: throws a {@link TensorLeakError} naming the step when tensors grew. */
  check(step: number): void;
  /** Live tensors at the baseline, once taken. */
  readonly baseline: number | undefined;
}

/**
 * Creates a guard that fails a training loop at the first step where `tf.memory().numTensors`
 * grows past the baseline taken after the warm-up steps.
 *
 * @example
 * ```ts
 * const guard = createLeakGuard();
 * for (let step = 0; step < steps; step++) {
 *   optimizer.minimize(() => loss(model, batch));
 *   guard.check(step);
 * }
 * ```
 */
export function createLeakGuard(options: LeakGuardOptions = {}): LeakGuard {
  const tolerance = options.tolerance ?? 0;
  const warmupSteps = options.warmupSteps ?? 1;
  let baseline: number | undefined;
  let seen = 0;
  return {
    check(step: number) {
      const live = tf.memory().numTensors;
      seen += 1;
      if (seen <= warmupSteps) {
        baseline = live;
        return;
      }
      if (baseline !== undefined && live > baseline + tolerance) {
        throw new TensorLeakError(`training step ${step}`, baseline, live);
      }
    },
    get baseline() {
      return baseline;
    },
  };
}
