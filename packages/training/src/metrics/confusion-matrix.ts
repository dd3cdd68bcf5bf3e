import { checkClassLabels, checkSameLength, inferNumClasses, type ClassLabels } from './class-labels';

/**
 * The confusion matrix `counts[trueClass][predictedClass]`, as scikit-learn's
 * `confusion_matrix(y_true, y_pred, labels=range(numClasses))`.
 *
 * @param numClasses defaults to one more than the largest label seen.
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1, 2], [0, 2, 1, 2]); // [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
 * ```
 */
export function confusionMatrix(yTrue: ClassLabels, yPred: ClassLabels, numClasses?: number): number[][] {
  checkSameLength(yTrue, yPred, ['yTrue', 'yPred']);
  const classes = numClasses ?? inferNumClasses(yTrue, yPred);
  checkClassLabels(yTrue, classes, 'yTrue');
  checkClassLabels(yPred, classes, 'yPred');
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let index = 0; index < yTrue.length; index++) counts[yTrue[index]!]![yPred[index]!]! += 1;
  return counts;
}
