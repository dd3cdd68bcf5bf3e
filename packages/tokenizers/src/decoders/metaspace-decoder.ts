import { readOptionalString, type JsonObject } from '../json-fields';
import { readPrependScheme, type PrependScheme } from '../pre-tokenizers/metaspace';
import type { Decoder, DecoderJSON } from './decoder';

/**
 * Hugging Face's `Metaspace` decoder: the replacement character becomes a space, and the first
 * token's leading one is dropped when the pre-tokenizer prepended one (`prependScheme` not 'never').
 *
 * @example
 * ```ts
 * new MetaspaceDecoder().decode(['▁Hey', '▁friend']); // 'Hey friend'
 * ```
 */
export class MetaspaceDecoder implements Decoder {
  constructor(
    readonly replacement = '\u2581',
    readonly prependScheme: PrependScheme = 'always',
    readonly split = true,
  ) {}

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): MetaspaceDecoder {
    return new MetaspaceDecoder(readOptionalString(json, 'replacement', path, '\u2581'), readPrependScheme(json, path), json.split !== false);
  }

  decode(tokens: readonly string[]): string {
    return this.decodeChain(tokens).join('');
  }

  decodeChain(tokens: readonly string[]): string[] {
    return tokens.map((token, index) => {
      const out = token.replaceAll(this.replacement, ' ');
      return index === 0 && this.prependScheme !== 'never' && out.startsWith(' ') ? out.slice(1) : out;
    });
  }

  toJSON(): DecoderJSON {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}
