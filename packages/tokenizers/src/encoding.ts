/**
 * The result of encoding one text (or a pair): ids for the model plus everything needed to map
 * them back. Offsets are `[start, end)` UTF-16 indices into the string that was encoded (the
 * first text for sequence 0, the pair text for sequence 1); special tokens have `[0, 0]`.
 *
 * @example
 * ```ts
 * const { ids, tokens, offsets } = tokenizer.encode('Hello'); // offsets[1] = [0, 5] for bert
 * ```
 */
export interface Encoding {
  ids: number[];
  tokens: string[];
  offsets: Array<[number, number]>;
  attentionMask: number[];
  typeIds: number[];
  /** 1 for special tokens added by the post-processor (and padding), 0 for text tokens. */
  specialTokensMask: number[];
  /** Which input each token came from: 0, 1 (the pair), or null for special tokens and padding. */
  sequenceIds: Array<number | null>;
}

/**
 * An empty encoding to append tokens to.
 *
 * @example
 * ```ts
 * emptyEncoding().ids; // []
 * ```
 */
export function emptyEncoding(): Encoding {
  return { ids: [], tokens: [], offsets: [], attentionMask: [], typeIds: [], specialTokensMask: [], sequenceIds: [] };
}

/** Appends all tokens of `source` to `target`. */
export function appendEncoding(target: Encoding, source: Encoding): void {
  for (let index = 0; index < source.ids.length; index++) {
    target.ids.push(source.ids[index]!);
    target.tokens.push(source.tokens[index]!);
    target.offsets.push(source.offsets[index]!);
    target.attentionMask.push(source.attentionMask[index]!);
    target.typeIds.push(source.typeIds[index]!);
    target.specialTokensMask.push(source.specialTokensMask[index]!);
    target.sequenceIds.push(source.sequenceIds[index]!);
  }
}

/** Appends one special token. */
export function appendSpecialToken(target: Encoding, id: number, token: string, typeId: number): void {
  target.ids.push(id);
  target.tokens.push(token);
  target.offsets.push([0, 0]);
  target.attentionMask.push(1);
  target.typeIds.push(typeId);
  target.specialTokensMask.push(1);
  target.sequenceIds.push(null);
}
