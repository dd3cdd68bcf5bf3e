import type { Encoding } from '../encoding';

/**
 * JSON form of a post-processor, as in a Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const json: PostProcessorJSON = { type: 'BertProcessing', cls: ['[CLS]', 101], sep: ['[SEP]', 102] };
 * ```
 */
export interface PostProcessorJSON {
  type: string;
  [field: string]: unknown;
}

/**
 * A post-processor joins the encoded sequence (and optional pair) and adds special tokens such
 * as `[CLS]` and `[SEP]`, setting type ids.
 *
 * @example
 * ```ts
 * const processor: PostProcessor = new BertProcessing({ cls: ['[CLS]', 101], sep: ['[SEP]', 102] });
 * processor.addedTokens(false); // 2
 * ```
 */
export interface PostProcessor {
  /** How many special tokens it adds to a single sequence (`isPair` false) or a pair. */
  addedTokens(isPair: boolean): number;
  process(encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding;
  /** The `tokenizer.json` form of this post-processor. */
  toJSON(): PostProcessorJSON;
}

/** Sets every type id of `encoding` to `typeId` and its sequence ids to `sequenceId`. */
export function labelSequence(encoding: Encoding, typeId: number, sequenceId: number): Encoding {
  encoding.typeIds.fill(typeId);
  encoding.sequenceIds.fill(sequenceId);
  return encoding;
}
