/**
 * JSON form of a decoder, as in a Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const json: DecoderJSON = { type: 'WordPiece', prefix: '##', cleanup: true };
 * ```
 */
export interface DecoderJSON {
  type: string;
  [field: string]: unknown;
}

/**
 * A decoder turns tokens back into text.
 *
 * @example
 * ```ts
 * const decoder: Decoder = new WordPieceDecoder();
 * decoder.decode(['hello', '##s', ',', 'world']); // 'hellos, world'
 * ```
 */
export interface Decoder {
  decode(tokens: readonly string[]): string;
  /** Hugging Face's `decode_chain`: the tokens after this step, for a {@link SequenceDecoder}; absent: `[decode(tokens)]`. */
  decodeChain?(tokens: readonly string[]): string[];
  /** The `tokenizer.json` form of this decoder. */
  toJSON(): DecoderJSON;
}
