import { WordLevel } from '../models/word-level';
import { WhitespaceSplit } from '../pre-tokenizers/whitespace';
import { Tokenizer } from '../tokenizer';
import { countWords } from '../trainers/word-counts';
import { buildVocabulary, DEFAULT_SPECIAL_TOKENS, type VocabularyOptions } from './build-vocabulary';
import { sequenceProcessor } from './sequence-processor';

/**
 * Options of {@link buildWordLevelTokenizer}.
 *
 * @example
 * ```ts
 * buildWordLevelTokenizer(pronunciations, { addBosEos: true });
 * ```
 */
export interface WordLevelTokenizerOptions extends VocabularyOptions {
  /** Wrap every encoding in `[BOS]` … `[EOS]` (the 3rd and 4th special tokens). Default false. */
  addBosEos?: boolean;
}

/**
 * Builds a word-level tokenizer from data: whitespace-separated symbols are tokens, by frequency.
 * For grapheme-to-phoneme targets, feed phoneme strings such as `'HH AH0 L OW1'` and each
 * phoneme becomes one id; `decode` joins them with spaces again. Saved and loaded as a regular
 * tokenizer.json (WhitespaceSplit pre-tokenizer + WordLevel model).
 *
 * @example
 * ```ts
 * const phonemes = buildWordLevelTokenizer(['HH AH0 L OW1', 'W ER1 L D'], { addBosEos: true });
 * phonemes.encode('HH AH0 L OW1').tokens; // ['[BOS]', 'HH', 'AH0', 'L', 'OW1', '[EOS]']
 * ```
 */
export function buildWordLevelTokenizer(texts: Iterable<string>, options: WordLevelTokenizerOptions = {}): Tokenizer {
  const specialTokens = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
  const preTokenizer = new WhitespaceSplit();
  const vocab = buildVocabulary(countWords(texts, { preTokenizer }), { ...options, specialTokens });
  return new Tokenizer({
    model: new WordLevel({ vocab, unkToken: specialTokens[1] ?? null }),
    preTokenizer,
    postProcessor: options.addBosEos ? sequenceProcessor(vocab, specialTokens) : null,
    addedTokens: specialTokens.map((token) => ({ id: vocab.get(token)!, content: token, special: true, normalized: false })),
  });
}
