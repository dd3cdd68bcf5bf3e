/** Options of {@link tokenAccuracy}. */
export interface TokenAccuracyOptions {
  /** Reference positions holding this id are padding and not counted. Default: none. */
  padId?: number;
}

/**
 * Fraction of (non-padding) token positions where the prediction equals the reference, over a
 * batch of equal-length sequences (teacher-forced decoding).
 *
 * @example
 * ```ts
 * tokenAccuracy([[5, 6, 0], [7, 0, 0]], [[5, 9, 3], [7, 1, 1]], { padId: 0 }); // 2 / 3
 * ```
 */
export function tokenAccuracy(
  references: ArrayLike<ArrayLike<number>>,
  predictions: ArrayLike<ArrayLike<number>>,
  options: TokenAccuracyOptions = {},
): number {
  if (references.length !== predictions.length) {
    throw new RangeError(`references has ${references.length} sequences but predictions has ${predictions.length}`);
  }
  let counted = 0;
  let correct = 0;
  for (let row = 0; row < references.length; row++) {
    const reference = references[row]!;
    const prediction = predictions[row]!;
    if (reference.length !== prediction.length) {
      throw new RangeError(`sequence ${row}: reference has ${reference.length} tokens but prediction has ${prediction.length}`);
    }
    for (let position = 0; position < reference.length; position++) {
      if (options.padId !== undefined && reference[position] === options.padId) continue;
      counted += 1;
      if (reference[position] === prediction[position]) correct += 1;
    }
  }
  if (counted === 0) throw new RangeError('tokenAccuracy: no non-padding reference tokens to score');
  return correct / counted;
}
