import { readString, type JsonObject } from '../json-fields';
import { compilePattern, readPattern, type ReplacePattern } from '../normalizers/replace';
import type { Decoder, DecoderJSON } from './decoder';

/**
 * Hugging Face's `Replace` decoder: replaces `pattern` by `content` in every token ('▁' → ' ').
 *
 * @example
 * ```ts
 * new ReplaceDecoder({ String: '▁' }, ' ').decodeChain(['▁Hey', '▁you']); // [' Hey', ' you']
 * ```
 */
export class ReplaceDecoder implements Decoder {
  private readonly regex: RegExp;

  constructor(
    readonly pattern: ReplacePattern,
    readonly content: string,
  ) {
    this.regex = compilePattern(pattern);
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): ReplaceDecoder {
    return new ReplaceDecoder(readPattern(json, path).pattern, readString(json, 'content', path));
  }

  decode(tokens: readonly string[]): string {
    return this.decodeChain(tokens).join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    return tokens.map((token) => token.replace(this.regex, () => this.content));
  }

  toJSON(): DecoderJSON {
    return { type: 'Replace', pattern: this.pattern, content: this.content };
  }
}
