import { checkPositive, checkPositiveInteger, type LearningRateSchedule } from './learning-rate-schedule';

/** Settings of {@link warmupCosineSchedule}. */
export interface WarmupCosineScheduleConfig {
  /** The rate at the end of warm-up. */
  peakLearningRate: number;
  /** Steps of linear warm-up from peak/warmupSteps to the peak (0 for none). */
  warmupSteps: number;
  /** Step at which the cosine reaches `minLearningRate`; it stays there afterwards. */
  totalSteps: number;
  /** The floor (default 0). */
  minLearningRate?: number;
}

/**
 * Linear warm-up then half-cosine decay to a floor ("SGDR", Loshchilov & Hutter, 2017, without
 * restarts): `min + (peak - min) · (1 + cos(π · progress)) / 2`.
 *
 * @example
 * ```ts
 * const schedule = warmupCosineSchedule({ peakLearningRate: 1e-3, warmupSteps: 100, totalSteps: 1000 });
 * schedule.at(99);  // 1e-3
 * schedule.at(999); // ≈ 0
 * ```
 */
export function warmupCosineSchedule(config: WarmupCosineScheduleConfig): LearningRateSchedule {
  const { peakLearningRate, warmupSteps, totalSteps, minLearningRate = 0 } = config;
  checkPositive(peakLearningRate, 'peakLearningRate');
  checkPositiveInteger(totalSteps, 'totalSteps');
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0 && warmupSteps < totalSteps)) {
    throw new RangeError(`warmupSteps must be an integer in [0, totalSteps=${totalSteps}), got ${warmupSteps}`);
  }
  if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate)) {
    throw new RangeError(`minLearningRate must be in [0, peakLearningRate=${peakLearningRate}], got ${minLearningRate}`);
  }
  return {
    config: { name: 'warmup-cosine', peakLearningRate, warmupSteps, totalSteps, minLearningRate },
    at(step) {
      const s = step + 1;
      if (s <= warmupSteps) return (peakLearningRate * s) / warmupSteps;
      const progress = Math.min(1, (s - warmupSteps) / (totalSteps - warmupSteps));
      return minLearningRate + ((peakLearningRate - minLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2;
    },
  };
}
