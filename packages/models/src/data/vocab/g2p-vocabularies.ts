import { buildCharLevelTokenizer, buildWordLevelTokenizer, type Tokenizer } from '@heed/tokenizers';
import type { G2PExample } from '../cmudict/cmudict-g2p';

/**
 * Special tokens of heed's grapheme-to-phoneme vocabularies, in id order: padding (0), unknown
 * (1), sequence start (2), sequence end (3).
 *
 * @example
 * ```ts
 * G2P_SPECIAL_TOKENS[0]; // '<pad>', id 0 in both vocabularies
 * ```
 */
export const G2P_SPECIAL_TOKENS: readonly string[] = Object.freeze(['<pad>', '<unk>', '<s>', '</s>']);

/** The two tokenizers of a grapheme-to-phoneme model. */
export interface G2PVocabularies {
  /** Letters → ids (encoder input, no `<s>`/`</s>`); unseen letters become `<unk>`. */
  graphemes: Tokenizer;
  /** Phonemes → ids, each encoding wrapped in `<s>` … `</s>` (decoder targets); decode joins with spaces. */
  phonemes: Tokenizer;
}

/**
 * Builds the character and phoneme vocabularies of a G2P model from its training examples with
 * @heed/tokenizers' data-built char-level and word-level tokenizers: {@link G2P_SPECIAL_TOKENS}
 * first, then symbols by training frequency (ties in code-unit order), so the same training split
 * always gives the same ids. Both save and load as Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const { graphemes, phonemes } = g2pVocabularies(cmudictG2P(dict).train);
 * graphemes.encode('paste').ids; // five letter ids
 * phonemes.encode('P EY S T').tokens; // ['<s>', 'P', 'EY', 'S', 'T', '</s>']
 * ```
 */
export function g2pVocabularies(train: readonly G2PExample[]): G2PVocabularies {
  if (!Array.isArray(train as unknown) || train.length === 0) {
    throw new RangeError(`g2pVocabularies: train must be a non-empty array of G2P examples; got ${Array.isArray(train) ? 'an empty array' : typeof train}`);
  }
  const specialTokens = [...G2P_SPECIAL_TOKENS];
  return {
    graphemes: buildCharLevelTokenizer(
      train.map((example) => example.graphemes.join('')),
      { specialTokens },
    ),
    phonemes: buildWordLevelTokenizer(
      train.flatMap((example) => example.references.map((phonemes) => phonemes.join(' '))),
      { specialTokens, addBosEos: true },
    ),
  };
}
