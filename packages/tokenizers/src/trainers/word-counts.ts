import { identityText } from '../normalized-text';
import type { Normalizer } from '../normalizers/normalizer';
import type { PreTokenizer } from '../pre-tokenizers/pre-tokenizer';

/**
 * The part of a tokenizer pipeline that runs before the model: how texts become words.
 *
 * @example
 * ```ts
 * countWords(texts, { normalizer: new BertNormalizer(), preTokenizer: new BertPreTokenizer() });
 * ```
 */
export interface WordPipeline {
  normalizer?: Normalizer | null;
  preTokenizer?: PreTokenizer | null;
}

/**
 * Counts the words the pipeline makes of `texts` (normalize, then pre-tokenize).
 *
 * @example
 * ```ts
 * countWords(['a b a'], { preTokenizer: new WhitespaceSplit() }); // Map { 'a' => 2, 'b' => 1 }
 * ```
 */
export function countWords(texts: Iterable<string>, pipeline: WordPipeline = {}): Map<string, number> {
  const counts = new Map<string, number>();
  let index = 0;
  for (const text of texts) {
    if (typeof text !== 'string') throw new TypeError(`texts[${index}]: expected a string, got ${typeof text}`);
    index++;
    let normalized = identityText(text);
    if (pipeline.normalizer) normalized = pipeline.normalizer.normalize(normalized);
    const words = pipeline.preTokenizer ? pipeline.preTokenizer.preTokenize(normalized).map((word) => word.text) : [normalized.text];
    for (const word of words) if (word.length > 0) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/**
 * Orders `[item, count]` entries by count (descending), then by code-unit order: the
 * deterministic order every vocabulary builder here uses.
 */
export function byCountThenText<T extends string>(left: [T, number], right: [T, number]): number {
  return right[1] - left[1] || (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0);
}
