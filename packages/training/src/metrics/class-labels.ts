/** Integer class labels: a plain array, a typed array, or anything array-like. */
export type ClassLabels = ArrayLike<number>;

/**
 * Checks that `labels` are integers in `[0, numClasses)`, throwing a RangeError that names the
 * argument, the first offending value and its index.
 */
export function checkClassLabels(labels: ClassLabels, numClasses: number, argument: string): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(
        `${argument}[${index}] is ${label}: labels must be integers in [0, ${numClasses - 1}] for ${numClasses} classes`,
      );
    }
  }
}

/** Throws when two label arrays differ in length, naming both lengths. */
export function checkSameLength(first: ArrayLike<unknown>, second: ArrayLike<unknown>, names: [string, string]): void {
  if (first.length !== second.length) {
    throw new RangeError(`${names[0]} has ${first.length} entries but ${names[1]} has ${second.length}: they must match`);
  }
  if (first.length === 0) throw new RangeError(`${names[0]} and ${names[1]} are empty: a metric needs at least one example`);
}

/** The number of classes implied by the labels: one more than the largest. */
export function inferNumClasses(...labelSets: ClassLabels[]): number {
  let largest = -1;
  for (const labels of labelSets) for (let index = 0; index < labels.length; index++) largest = Math.max(largest, labels[index]!);
  return largest + 1;
}
