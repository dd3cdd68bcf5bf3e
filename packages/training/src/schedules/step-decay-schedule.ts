import { checkPositive, checkPositiveInteger, type LearningRateSchedule } from './learning-rate-schedule';

/** Settings of {@link stepDecaySchedule}. */
export interface StepDecayScheduleConfig {
  /** The rate of the first `stepSize` steps. */
  initialLearningRate: number;
  /** Multiplier applied every `stepSize` steps (e.g. 0.1). */
  decayFactor: number;
  /** Steps between decays. */
  stepSize: number;
}

/**
 * Piecewise-constant decay: `initial · decayFactor^floor(step / stepSize)` (PyTorch's StepLR).
 *
 * @example
 * ```ts
 * const schedule = stepDecaySchedule({ initialLearningRate: 0.1, decayFactor: 0.5, stepSize: 100 });
 * schedule.at(250); // 0.025
 * ```
 */
export function stepDecaySchedule(config: StepDecayScheduleConfig): LearningRateSchedule {
  const { initialLearningRate, decayFactor, stepSize } = config;
  checkPositive(initialLearningRate, 'initialLearningRate');
  checkPositiveInteger(stepSize, 'stepSize');
  if (!(decayFactor > 0 && decayFactor <= 1)) throw new RangeError(`decayFactor must be in (0, 1], got ${decayFactor}`);
  return {
    config: { name: 'step-decay', initialLearningRate, decayFactor, stepSize },
    at: (step) => initialLearningRate * decayFactor ** Math.floor(step / stepSize),
  };
}
