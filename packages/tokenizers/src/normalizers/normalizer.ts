import type { NormalizedText } from '../normalized-text';

/**
 * JSON form of a normalizer, as in a Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const json: NormalizerJSON = { type: 'Lowercase' };
 * ```
 */
export interface NormalizerJSON {
  type: string;
  [field: string]: unknown;
}

/**
 * A normalizer rewrites text before pre-tokenization (lowercasing, accent stripping, Unicode
 * forms) while keeping, for every output unit, the span of original text it came from.
 *
 * @example
 * ```ts
 * const lower: Normalizer = new Lowercase();
 * lower.normalize(identityText('ABC')).text; // 'abc'
 * ```
 */
export interface Normalizer {
  normalize(input: NormalizedText): NormalizedText;
  /** The `tokenizer.json` form of this normalizer. */
  toJSON(): NormalizerJSON;
}
