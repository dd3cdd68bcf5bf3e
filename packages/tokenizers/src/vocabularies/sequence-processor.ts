import { TemplateProcessing } from '../processors/template-processing';

/**
 * `[BOS] $A [EOS]` (and `[BOS] $A [EOS] $B [EOS]` for pairs) with the 3rd and 4th special tokens,
 * for sequence-to-sequence targets.
 *
 * @example
 * ```ts
 * sequenceProcessor(new Map([['[PAD]', 0], ['[UNK]', 1], ['[BOS]', 2], ['[EOS]', 3]]), ['[PAD]', '[UNK]', '[BOS]', '[EOS]']);
 * ```
 */
export function sequenceProcessor(vocab: ReadonlyMap<string, number>, specialTokens: readonly string[]): TemplateProcessing {
  const bos = specialTokens[2];
  const eos = specialTokens[3];
  if (bos === undefined || eos === undefined) {
    throw new RangeError(`specialTokens: addBosEos needs at least 4 special tokens ([PAD], [UNK], [BOS], [EOS]), got ${specialTokens.length}`);
  }
  return new TemplateProcessing({
    single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
    pair: [
      { SpecialToken: { id: bos, type_id: 0 } },
      { Sequence: { id: 'A', type_id: 0 } },
      { SpecialToken: { id: eos, type_id: 0 } },
      { Sequence: { id: 'B', type_id: 1 } },
      { SpecialToken: { id: eos, type_id: 1 } },
    ],
    specialTokens: {
      [bos]: { id: bos, ids: [vocab.get(bos)!], tokens: [bos] },
      [eos]: { id: eos, ids: [vocab.get(eos)!], tokens: [eos] },
    },
  });
}
