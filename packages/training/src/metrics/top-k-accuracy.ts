import { checkClassLabels, checkSameLength, type ClassLabels } from './class-labels';

/**
 * Fraction of examples whose true class is among the `k` highest scores, as scikit-learn's
 * `top_k_accuracy_score`. Ties are broken toward the lower class index (a stable sort), as
 * scikit-learn does.
 *
 * @param scores one row of class scores (probabilities or logits) per example: (batch, classes).
 * @example
 * ```ts
 * topKAccuracy([2, 0], [[0.1, 0.5, 0.4], [0.2, 0.7, 0.1]], 2); // 0.5
 * ```
 */
export function topKAccuracy(yTrue: ClassLabels, scores: ArrayLike<ArrayLike<number>>, k: number): number {
  checkSameLength(yTrue, scores, ['yTrue', 'scores']);
  const classes = scores[0]!.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  checkClassLabels(yTrue, classes, 'yTrue');
  let hits = 0;
  for (let index = 0; index < yTrue.length; index++) {
    const row = scores[index]!;
    if (row.length !== classes) throw new RangeError(`scores[${index}] has ${row.length} classes, scores[0] has ${classes}`);
    const label = yTrue[index]!;
    const score = row[label]!;
    // Rank of the true class: classes scoring strictly higher, or equal with a lower index.
    let ahead = 0;
    for (let other = 0; other < classes; other++) {
      if (row[other]! > score || (row[other] === score && other < label)) ahead += 1;
    }
    if (ahead < k) hits += 1;
  }
  return hits / yTrue.length;
}
