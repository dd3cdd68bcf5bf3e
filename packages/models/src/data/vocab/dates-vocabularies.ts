import { buildCharLevelTokenizer, type Tokenizer } from '@heed/tokenizers';
import type { DateExample } from '../dates/dates-dataset';
import { G2P_SPECIAL_TOKENS } from './g2p-vocabularies';

/** The two character tokenizers of a dates model. */
export interface DatesVocabularies {
  /** Characters of the human-written dates (case kept; spaces are not tokens). */
  inputs: Tokenizer;
  /** Characters of ISO dates (digits and '-'), each encoding wrapped in `<s>` … `</s>`. */
  targets: Tokenizer;
}

/**
 * Character vocabularies of the synthetic dates task, built from its training examples with
 * @heed/tokenizers' char-level builder and the same special tokens as G2P (`<pad>` 0, `<unk>` 1,
 * `<s>` 2, `</s>` 3). Spaces are separators, not tokens (@heed/tokenizers' char-level rule); no
 * format needs them to be read unambiguously.
 *
 * @example
 * ```ts
 * const { inputs, targets } = datesVocabularies(datesDataset({ count: 20_000 }).train);
 * inputs.encode('4 mar 2014').tokens; // ['4', 'm', 'a', 'r', '2', '0', '1', '4']
 * targets.encode('2014-03-04').tokens; // ['<s>', '2', '0', '1', '4', '-', '0', '3', '-', '0', '4', '</s>']
 * ```
 */
export function datesVocabularies(train: readonly DateExample[]): DatesVocabularies {
  if (!Array.isArray(train as unknown) || train.length === 0) {
    throw new RangeError(`datesVocabularies: train must be a non-empty array of date examples; got ${Array.isArray(train) ? 'an empty array' : typeof train}`);
  }
  const specialTokens = [...G2P_SPECIAL_TOKENS];
  return {
    inputs: buildCharLevelTokenizer(train.map((example) => example.input), { specialTokens }),
    targets: buildCharLevelTokenizer(train.map((example) => example.target), { specialTokens, addBosEos: true }),
  };
}
