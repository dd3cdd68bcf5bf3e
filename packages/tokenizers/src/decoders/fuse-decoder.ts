import type { Decoder, DecoderJSON } from './decoder';

/**
 * Joins tokens with nothing between them (Hugging Face's `Fuse` decoder): the decoder of
 * character-level tokenizers.
 *
 * @example
 * ```ts
 * new FuseDecoder().decode(['c', 'a', 't']); // 'cat'
 * ```
 */
export class FuseDecoder implements Decoder {
  decode(tokens: readonly string[]): string {
    return tokens.join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    return [tokens.join('')];
  }

  toJSON(): DecoderJSON {
    return { type: 'Fuse' };
  }
}
