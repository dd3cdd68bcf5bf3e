import { unicodeToBytes } from '../bytes-to-unicode';
import { readBoolean, type JsonObject } from '../json-fields';
import type { Decoder, DecoderJSON } from './decoder';

const CHAR_BYTES = unicodeToBytes();
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Options of {@link ByteLevelDecoder}, kept for `tokenizer.json` round trips.
 *
 * @example
 * ```ts
 * new ByteLevelDecoder({ addPrefixSpace: true });
 * ```
 */
export interface ByteLevelDecoderOptions {
  addPrefixSpace?: boolean;
  trimOffsets?: boolean;
  useRegex?: boolean;
}

/**
 * Byte-level decoding: maps each token character back to its byte ({@link unicodeToBytes}) and
 * reads the bytes as UTF-8 (invalid sequences become U+FFFD), so decode(encode(text)) === text.
 *
 * @example
 * ```ts
 * new ByteLevelDecoder().decode(['Hello', 'Ġworld']); // 'Hello world'
 * ```
 */
export class ByteLevelDecoder implements Decoder {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;

  constructor(options: ByteLevelDecoderOptions = {}) {
    this.addPrefixSpace = options.addPrefixSpace ?? true;
    this.trimOffsets = options.trimOffsets ?? true;
    this.useRegex = options.useRegex ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): ByteLevelDecoder {
    return new ByteLevelDecoder({
      addPrefixSpace: readBoolean(json, 'add_prefix_space', path, true),
      trimOffsets: readBoolean(json, 'trim_offsets', path, true),
      useRegex: readBoolean(json, 'use_regex', path, true),
    });
  }

  decode(tokens: readonly string[]): string {
    const bytes: number[] = [];
    for (const token of tokens) {
      const start = bytes.length;
      let mapped = true;
      for (const char of token) {
        const byte = CHAR_BYTES.get(char);
        if (byte === undefined) {
          mapped = false;
          break;
        }
        bytes.push(byte);
      }
      if (!mapped) {
        bytes.length = start;
        for (const byte of UTF8_ENCODER.encode(token)) bytes.push(byte);
      }
    }
    return UTF8_DECODER.decode(new Uint8Array(bytes));
  }

  toJSON(): DecoderJSON {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
