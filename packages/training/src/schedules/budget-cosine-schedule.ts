import { checkPositive, type LearningRateSchedule } from './learning-rate-schedule';

/**
 * Settings of {@link budgetCosineSchedule}.
 *
 * @example
 * ```ts
 * const started = Date.now();
 * const config: BudgetCosineScheduleConfig = { peakLearningRate: 3e-3, warmupSteps: 300, progress: () => (Date.now() - started) / 3_600_000 }; // a one-hour budget
 * ```
 */
export interface BudgetCosineScheduleConfig {
  /** The rate at the end of warm-up and the start of the cosine. */
  peakLearningRate: number;
  /** Steps of linear warm-up, `peak · (step + 1) / warmupSteps` while below the cosine (0 for none). */
  warmupSteps: number;
  /** Where in the budget update `step` is, in [0, 1] (clamped): e.g. the larger of the time used and the steps done. */
  progress: (step: number) => number;
  /** The rate at progress 1, as a fraction of the peak. Default 0.01. */
  finalFraction?: number;
}

/**
 * Linear warm-up, then a half cosine from the peak down to `finalFraction · peak` that ends when
 * a budget runs out, not at a fixed step: `progress(step)` says how much of it is used (time,
 * steps, or the larger of them). `heed train g2p`'s schedule. Resumes exactly wherever `progress`
 * is a function of the step alone.
 *
 * `rate = min(warmup, floor + (peak − floor) · (1 + cos(π · progress)) / 2)`, `floor = finalFraction · peak`,
 * `warmup = peak · (step + 1) / warmupSteps` during warm-up.
 *
 * @example
 * ```ts
 * const schedule = budgetCosineSchedule({ peakLearningRate: 0.003, warmupSteps: 300, progress: (step) => step / 20_000 });
 * schedule.at(0);      // 0.00001 (warm-up)
 * schedule.at(10_000); // 0.0015150 (half way down the cosine)
 * ```
 */
export function budgetCosineSchedule(config: BudgetCosineScheduleConfig): LearningRateSchedule {
  const { peakLearningRate: peak, warmupSteps, progress, finalFraction = 0.01 } = config;
  checkPositive(peak, 'peakLearningRate');
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) throw new RangeError(`warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  if (!(finalFraction >= 0 && finalFraction <= 1)) throw new RangeError(`finalFraction must be in [0, 1], got ${finalFraction}`);
  const floor = peak * finalFraction;
  return {
    config: { name: 'budget-cosine', peakLearningRate: peak, warmupSteps, finalFraction },
    at(step) {
      const done = Math.min(1, Math.max(0, progress(step)));
      const cosine = floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * done));
      return warmupSteps > 0 && step < warmupSteps ? Math.min(cosine, (peak * (step + 1)) / warmupSteps) : cosine;
    },
  };
}
