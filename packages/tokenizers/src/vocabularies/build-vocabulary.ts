import { byCountThenText } from '../trainers/word-counts';

/**
 * Options shared by the char-level and word-level vocabulary builders.
 *
 * @example
 * ```ts
 * buildVocabulary(counts, { minFrequency: 2, maxSize: 1000 });
 * ```
 */
export interface VocabularyOptions {
  /** Tokens placed first, in this order. Default ['[PAD]', '[UNK]', '[BOS]', '[EOS]']. */
  specialTokens?: string[];
  /** Symbols seen fewer times are left out (they become the unknown token). Default 1. */
  minFrequency?: number;
  /** Keep at most this many entries, special tokens included. Default: no limit. */
  maxSize?: number;
}

/**
 * Default special tokens of data-built vocabularies (padding, unknown, sequence start and end).
 *
 * @example
 * ```ts
 * buildWordLevelTokenizer(texts, { specialTokens: [...DEFAULT_SPECIAL_TOKENS, '[SEP]'] });
 * ```
 */
export const DEFAULT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[BOS]', '[EOS]'];

/**
 * Builds a token → id map: special tokens first, then symbols by count (descending) and then
 * code-unit order, so the same data in any order gives the same ids.
 *
 * @example
 * ```ts
 * buildVocabulary(new Map([['b', 1], ['a', 3]]), { specialTokens: ['[UNK]'] }); // Map { '[UNK]' => 0, 'a' => 1, 'b' => 2 }
 * ```
 */
export function buildVocabulary(counts: ReadonlyMap<string, number>, options: VocabularyOptions = {}): Map<string, number> {
  const specialTokens = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
  const minFrequency = options.minFrequency ?? 1;
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  if (maxSize < specialTokens.length) {
    throw new RangeError(`maxSize: ${maxSize} is smaller than the ${specialTokens.length} special tokens`);
  }
  const vocab = new Map<string, number>();
  for (const token of specialTokens) if (!vocab.has(token)) vocab.set(token, vocab.size);
  for (const [symbol, count] of [...counts].sort(byCountThenText)) {
    if (vocab.size >= maxSize) break;
    if (count >= minFrequency && !vocab.has(symbol)) vocab.set(symbol, vocab.size);
  }
  return vocab;
}
