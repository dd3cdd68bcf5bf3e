import { createLeakGuard, type LeakGuardOptions } from '@heed/backends';
import type { TrainerCallback } from '../trainer/trainer-callback';

/**
 * Fails training with a `TensorLeakError` naming the step at the first optimizer update after
 * which `tf.memory().numTensors` grew (after a warm-up update that creates optimizer slots).
 * Checks at update boundaries, so gradient accumulation's held gradients are not counted.
 *
 * @example
 * ```ts
 * await trainer.fit(data, { epochs: 1, callbacks: [leakGuardCallback()] });
 * ```
 */
export function leakGuardCallback(options: LeakGuardOptions = {}): TrainerCallback {
  let guard = createLeakGuard(options);
  let lastStep = -1;
  return {
    onTrainBegin() {
      guard = createLeakGuard(options);
      lastStep = -1;
    },
    onBatchEnd(logs, context) {
      const accumulation = context.trainer.config.accumulationSteps ?? 1;
      if (logs.step === lastStep || (logs.batch + 1) % accumulation !== 0) return;
      lastStep = logs.step;
      guard.check(logs.step);
    },
  };
}
