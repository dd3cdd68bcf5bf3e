import { readInteger, readString, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { Decoder, DecoderJSON } from './decoder';

/**
 * Hugging Face's `Strip` decoder: removes up to `start` leading and `stop` trailing `content`
 * characters from every token (after `Fuse`, from the decoded text: SentencePiece's dummy prefix).
 *
 * @example
 * ```ts
 * new StripDecoder(' ', 1, 0).decodeChain([' hello world']); // ['hello world']
 * ```
 */
export class StripDecoder implements Decoder {
  constructor(
    readonly content: string,
    readonly start: number,
    readonly stop: number,
  ) {
    if ([...content].length !== 1) throw new TokenizerConfigError('decoder.content', `expected one character, got ${JSON.stringify(content)}`);
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): StripDecoder {
    return new StripDecoder(readString(json, 'content', path), readInteger(json, 'start', path, 0), readInteger(json, 'stop', path, 0));
  }

  decode(tokens: readonly string[]): string {
    return this.decodeChain(tokens).join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    return tokens.map((token) => {
      const chars = [...token];
      let from = 0;
      while (from < this.start && from < chars.length && chars[from] === this.content) from++;
      let to = chars.length;
      while (chars.length - to < this.stop && to > from && chars[to - 1] === this.content) to--;
      return chars.slice(from, to).join('');
    });
  }

  toJSON(): DecoderJSON {
    return { type: 'Strip', content: this.content, start: this.start, stop: this.stop };
  }
}
