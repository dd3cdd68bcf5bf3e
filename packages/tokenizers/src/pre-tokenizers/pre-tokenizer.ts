import type { NormalizedText } from '../normalized-text';

/**
 * A word produced by a pre-tokenizer. Unit `i` of `text` came from the original span
 * `[starts[base + i], ends[base + i])`, so model tokens map back to the caller's string.
 *
 * @example
 * ```ts
 * const [word] = new WhitespaceSplit().preTokenize(identityText(' hi')); // { text: 'hi', base: 1, … }
 * ```
 */
export interface PreToken {
  readonly text: string;
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
  readonly base: number;
}

/**
 * JSON form of a pre-tokenizer, as in a Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const json: PreTokenizerJSON = { type: 'Whitespace' };
 * ```
 */
export interface PreTokenizerJSON {
  type: string;
  [field: string]: unknown;
}

/**
 * A pre-tokenizer splits normalized text into words; the model then splits each word.
 *
 * @example
 * ```ts
 * const words = new BertPreTokenizer().preTokenize(identityText('Hi, you')).map((word) => word.text);
 * // ['Hi', ',', 'you']
 * ```
 */
export interface PreTokenizer {
  preTokenize(input: NormalizedText): PreToken[];
  /** The `tokenizer.json` form of this pre-tokenizer. */
  toJSON(): PreTokenizerJSON;
}
