import type { ClassLabels } from './class-labels';
import { confusionMatrix } from './confusion-matrix';

/** Precision, recall and F1 of one class or one average. */
export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class scores and the three averages, as scikit-learn's `precision_recall_fscore_support`. */
export interface ClassificationReport {
  /** One entry per class 0..numClasses-1, with its support (true examples of that class). */
  perClass: (PrecisionRecallF1 & { support: number })[];
  /** Unweighted mean over classes. */
  macro: PrecisionRecallF1;
  /** From the summed true/false positives and negatives (equals accuracy for single-label data). */
  micro: PrecisionRecallF1;
  /** Mean over classes weighted by support. */
  weighted: PrecisionRecallF1;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
const harmonic = (precision: number, recall: number) => ratio(2 * precision * recall, precision + recall);

/**
 * Precision, recall and F1 per class and macro/micro/weighted-averaged, matching scikit-learn's
 * `precision_recall_fscore_support(..., labels=range(numClasses), zero_division=0)`: a class
 * never predicted (or never present) scores 0 rather than NaN.
 *
 * @param numClasses defaults to one more than the largest label seen.
 * @example
 * ```ts
 * const report = precisionRecallF1([0, 1, 1, 2], [0, 2, 1, 2]);
 * report.perClass[1].recall; // 0.5
 * report.macro.f1;           // 0.777...
 * ```
 */
export function precisionRecallF1(yTrue: ClassLabels, yPred: ClassLabels, numClasses?: number): ClassificationReport {
  const counts = confusionMatrix(yTrue, yPred, numClasses);
  const classes = counts.length;
  let truePositives = 0;
  const perClass = counts.map((row, label) => {
    const positives = row[label]!;
    const support = row.reduce((sum, value) => sum + value, 0);
    const predicted = counts.reduce((sum, otherRow) => sum + otherRow[label]!, 0);
    truePositives += positives;
    const precision = ratio(positives, predicted);
    const recall = ratio(positives, support);
    return { precision, recall, f1: harmonic(precision, recall), support };
  });
  const total = yTrue.length;
  const mean = (pick: (entry: (typeof perClass)[number]) => number, weight: (entry: (typeof perClass)[number]) => number) => {
    const weights = perClass.reduce((sum, entry) => sum + weight(entry), 0);
    return ratio(perClass.reduce((sum, entry) => sum + pick(entry) * weight(entry), 0), weights);
  };
  const average = (weight: (entry: (typeof perClass)[number]) => number): PrecisionRecallF1 => ({
    precision: mean((entry) => entry.precision, weight),
    recall: mean((entry) => entry.recall, weight),
    f1: mean((entry) => entry.f1, weight),
  });
  // Single-label: every false positive of one class is a false negative of another, so micro
  // precision = micro recall = accuracy.
  const microValue = ratio(truePositives, total);
  return {
    perClass,
    macro: classes === 0 ? { precision: 0, recall: 0, f1: 0 } : average(() => 1),
    micro: { precision: microValue, recall: microValue, f1: harmonic(microValue, microValue) },
    weighted: average((entry) => entry.support),
  };
}
