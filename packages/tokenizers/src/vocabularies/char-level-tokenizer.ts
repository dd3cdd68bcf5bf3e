import { FuseDecoder } from '../decoders/fuse-decoder';
import { WordLevel } from '../models/word-level';
import { Lowercase } from '../normalizers/lowercase';
import { Split } from '../pre-tokenizers/split';
import { Tokenizer } from '../tokenizer';
import { countWords } from '../trainers/word-counts';
import { buildVocabulary, DEFAULT_SPECIAL_TOKENS, type VocabularyOptions } from './build-vocabulary';
import { sequenceProcessor } from './sequence-processor';

/**
 * Options of {@link buildCharLevelTokenizer}.
 *
 * @example
 * ```ts
 * buildCharLevelTokenizer(words, { lowercase: true, addBosEos: true, minFrequency: 2 });
 * ```
 */
export interface CharLevelOptions extends VocabularyOptions {
  /** Lowercase before splitting. Default false. */
  lowercase?: boolean;
  /** Wrap every encoding in `[BOS]` … `[EOS]` (the 3rd and 4th special tokens). Default false. */
  addBosEos?: boolean;
}

/**
 * Builds a character-level tokenizer from data: every non-space character (code point) is a
 * token, the vocabulary holds the characters seen (by frequency), unseen ones become `[UNK]`,
 * and `decode` joins characters back. The grapheme side of grapheme-to-phoneme models.
 * Saved and loaded as a regular tokenizer.json (Split pre-tokenizer + WordLevel model).
 *
 * @example
 * ```ts
 * const graphemes = buildCharLevelTokenizer(['hello', 'world'], { lowercase: true });
 * graphemes.encode('Hello').tokens; // ['h', 'e', 'l', 'l', 'o']
 * graphemes.decode(graphemes.encode('hello').ids); // 'hello'
 * ```
 */
export function buildCharLevelTokenizer(texts: Iterable<string>, options: CharLevelOptions = {}): Tokenizer {
  const specialTokens = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
  const normalizer = options.lowercase ? new Lowercase() : null;
  const preTokenizer = new Split({ pattern: { Regex: '\\S' }, behavior: 'Removed', invert: true });
  const vocab = buildVocabulary(countWords(texts, { normalizer, preTokenizer }), { ...options, specialTokens });
  return new Tokenizer({
    model: new WordLevel({ vocab, unkToken: specialTokens[1] ?? null }),
    normalizer,
    preTokenizer,
    postProcessor: options.addBosEos ? sequenceProcessor(vocab, specialTokens) : null,
    decoder: new FuseDecoder(),
    addedTokens: specialTokens.map((token) => ({ id: vocab.get(token)!, content: token, special: true, normalized: false })),
  });
}
