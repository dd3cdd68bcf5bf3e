/**
 * Levenshtein distance between two sequences (insertions, deletions and substitutions all cost
 * 1): the numerator of word, phoneme and character error rates.
 *
 * @example
 * ```ts
 * editDistance(['K', 'AE', 'T'], ['K', 'AA', 'T', 'S']); // 2
 * editDistance('kitten', 'sitting');                     // 3
 * ```
 */
export function editDistance<T>(reference: ArrayLike<T>, hypothesis: ArrayLike<T>): number {
  const columns = hypothesis.length;
  let previous = Array.from({ length: columns + 1 }, (_, index) => index);
  let current = new Array<number>(columns + 1);
  for (let row = 1; row <= reference.length; row++) {
    current[0] = row;
    for (let column = 1; column <= columns; column++) {
      const substitution = previous[column - 1]! + (reference[row - 1] === hypothesis[column - 1] ? 0 : 1);
      current[column] = Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[columns]!;
}
