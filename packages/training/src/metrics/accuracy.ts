import { checkSameLength, type ClassLabels } from './class-labels';

/**
 * Fraction of predictions equal to the labels, as scikit-learn's `accuracy_score`.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 2, 2], [0, 1, 1, 2]); // 0.75
 * ```
 */
export function accuracy(yTrue: ClassLabels, yPred: ClassLabels): number {
  checkSameLength(yTrue, yPred, ['yTrue', 'yPred']);
  let correct = 0;
  for (let index = 0; index < yTrue.length; index++) if (yTrue[index] === yPred[index]) correct += 1;
  return correct / yTrue.length;
}
