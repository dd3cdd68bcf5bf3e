import { checkPositive, checkPositiveInteger, type LearningRateSchedule } from './learning-rate-schedule';

/** Settings of {@link linearScheduleWithWarmup}. */
export interface LinearScheduleWithWarmupConfig {
  /** The rate at the end of warm-up (the optimizer's `lr` in PyTorch). */
  peakLearningRate: number;
  /** Steps of linear warm-up from 0 (0 for none). */
  warmupSteps: number;
  /** The update count at which the rate reaches 0; it stays 0 afterwards. */
  totalSteps: number;
}

/**
 * Linear warm-up from 0 to the peak, then linear decay to 0 at `totalSteps`: transformers'
 * `get_linear_schedule_with_warmup` (the Hugging Face Trainer's default, BERT's schedule in
 * Devlin et al., 2019), stepped like PyTorch's LambdaLR, so update `step` (0-based) uses
 * `peak · step / warmup` during warm-up and `peak · max(0, (total - step) / (total - warmup))`
 * after. With warm-up, the first update has rate 0, as in PyTorch.
 *
 * @example
 * ```ts
 * const schedule = linearScheduleWithWarmup({ peakLearningRate: 2e-5, warmupSteps: 10, totalSteps: 100 });
 * schedule.at(0);  // 0
 * schedule.at(10); // 2e-5
 * schedule.at(55); // 1e-5
 * ```
 */
export function linearScheduleWithWarmup(config: LinearScheduleWithWarmupConfig): LearningRateSchedule {
  const { peakLearningRate, warmupSteps, totalSteps } = config;
  checkPositive(peakLearningRate, 'peakLearningRate');
  checkPositiveInteger(totalSteps, 'totalSteps');
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw new RangeError(`warmupSteps must be an integer in [0, totalSteps=${totalSteps}], got ${warmupSteps}`);
  }
  return {
    config: { name: 'linear-with-warmup', peakLearningRate, warmupSteps, totalSteps },
    at(step) {
      if (step < warmupSteps) return peakLearningRate * (step / Math.max(1, warmupSteps)); // LambdaLR: base_lr · lambda(step)
      return peakLearningRate * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    },
  };
}
