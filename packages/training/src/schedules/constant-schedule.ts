import { checkPositive, type LearningRateSchedule } from './learning-rate-schedule';

/**
 * The same learning rate at every step.
 *
 * @example
 * ```ts
 * constantSchedule(1e-3).at(1000); // 0.001
 * ```
 */
export function constantSchedule(learningRate: number): LearningRateSchedule {
  checkPositive(learningRate, 'learningRate');
  return { config: { name: 'constant', learningRate }, at: () => learningRate };
}
