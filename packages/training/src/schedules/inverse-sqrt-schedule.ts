import { checkPositive, checkPositiveInteger, type LearningRateSchedule } from './learning-rate-schedule';

/** Settings of {@link inverseSqrtSchedule}: give `modelDim` (the paper's rule) or `peakLearningRate`. */
export interface InverseSqrtScheduleConfig {
  /** Steps of linear warm-up (4000 in the paper). */
  warmupSteps: number;
  /** d_model: the peak is d_model^-0.5 · warmupSteps^-0.5, as in the paper. */
  modelDim?: number;
  /** The rate reached at the end of warm-up (instead of `modelDim`). */
  peakLearningRate?: number;
}

/**
 * Linear warm-up then inverse-square-root decay, from "Attention Is All You Need" (Vaswani et al.,
 * 2017, eq. 3): `lr = d_model^-0.5 · min(s^-0.5, s · warmup^-1.5)` with `s = step + 1`, which is
 * `peak · min(s / warmup, sqrt(warmup / s))`.
 *
 * @example
 * ```ts
 * const schedule = inverseSqrtSchedule({ modelDim: 512, warmupSteps: 4000 });
 * schedule.at(3999); // 512^-0.5 · 4000^-0.5 ≈ 7.0e-4, the peak
 * ```
 */
export function inverseSqrtSchedule(config: InverseSqrtScheduleConfig): LearningRateSchedule {
  const { warmupSteps, modelDim, peakLearningRate } = config;
  checkPositiveInteger(warmupSteps, 'warmupSteps');
  if ((modelDim === undefined) === (peakLearningRate === undefined)) {
    throw new RangeError(`inverseSqrtSchedule needs exactly one of modelDim and peakLearningRate, got modelDim=${modelDim} and peakLearningRate=${peakLearningRate}`);
  }
  if (modelDim !== undefined) checkPositive(modelDim, 'modelDim');
  const peak = peakLearningRate ?? modelDim! ** -0.5 * warmupSteps ** -0.5;
  checkPositive(peak, 'peakLearningRate');
  return {
    config: { name: 'inverse-sqrt', warmupSteps, peakLearningRate: peak },
    at(step) {
      const s = step + 1;
      return peak * Math.min(s / warmupSteps, Math.sqrt(warmupSteps / s));
    },
  };
}
