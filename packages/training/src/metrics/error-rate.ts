import { editDistance } from '../edit-distance';

/**
 * Corpus error rate: total edit distance over total reference length (not the mean of
 * per-sentence rates), as speech and G2P papers report it. Can exceed 1 when hypotheses are
 * longer than references.
 *
 * @example
 * ```ts
 * errorRate([['K', 'AE', 'T']], [['K', 'AA', 'T', 'S']]); // 2 / 3
 * ```
 */
export function errorRate<T>(references: readonly ArrayLike<T>[], hypotheses: readonly ArrayLike<T>[]): number {
  if (references.length !== hypotheses.length) {
    throw new RangeError(`references has ${references.length} entries but hypotheses has ${hypotheses.length}`);
  }
  let edits = 0;
  let length = 0;
  references.forEach((reference, index) => {
    edits += editDistance(reference, hypotheses[index]!);
    length += reference.length;
  });
  if (length === 0) throw new RangeError('errorRate: the references are empty (0 tokens), so the rate is undefined');
  return edits / length;
}

/**
 * Word error rate of sentences split on whitespace.
 *
 * @example
 * ```ts
 * wordErrorRate(['the cat sat'], ['the cat sat down']); // 1 / 3
 * ```
 */
export function wordErrorRate(references: readonly string[], hypotheses: readonly string[]): number {
  const words = (text: string) => text.split(/\s+/).filter((word) => word.length > 0);
  return errorRate(references.map(words), hypotheses.map(words));
}

/**
 * Character error rate (Unicode code points, spaces included).
 *
 * @example
 * ```ts
 * characterErrorRate(['kitten'], ['sitting']); // 3 / 6
 * ```
 */
export function characterErrorRate(references: readonly string[], hypotheses: readonly string[]): number {
  return errorRate(references.map((text) => [...text]), hypotheses.map((text) => [...text]));
}

/**
 * Phoneme error rate of phoneme sequences (e.g. ARPAbet arrays, or space-separated strings).
 *
 * @example
 * ```ts
 * phonemeErrorRate(['K AE T'], ['K AA T']); // 1 / 3
 * ```
 */
export function phonemeErrorRate(
  references: readonly (string | readonly string[])[],
  hypotheses: readonly (string | readonly string[])[],
): number {
  const phonemes = (entry: string | readonly string[]) => (typeof entry === 'string' ? entry.split(/\s+/).filter(Boolean) : entry);
  return errorRate(references.map(phonemes), hypotheses.map(phonemes));
}
