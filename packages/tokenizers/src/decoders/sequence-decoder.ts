import type { Decoder, DecoderJSON } from './decoder';

/**
 * Hugging Face's `Sequence` decoder: each decoder's `decodeChain` output feeds the next; the
 * last output is joined.
 *
 * @example
 * ```ts
 * new SequenceDecoder([new ReplaceDecoder({ String: '▁' }, ' '), new FuseDecoder(), new StripDecoder(' ', 1, 0)]).decode(['▁Hey', '▁you']); // 'Hey you'
 * ```
 */
export class SequenceDecoder implements Decoder {
  constructor(readonly decoders: readonly Decoder[]) {}

  decode(tokens: readonly string[]): string {
    return this.decodeChain(tokens).join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    let current: string[] = [...tokens];
    for (const decoder of this.decoders) current = decoder.decodeChain ? decoder.decodeChain(current) : [decoder.decode(current)];
    return current;
  }

  toJSON(): DecoderJSON {
    return { type: 'Sequence', decoders: this.decoders.map((decoder) => decoder.toJSON()) };
  }
}
