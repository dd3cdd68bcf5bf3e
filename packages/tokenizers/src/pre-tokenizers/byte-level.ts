import { bytesToUnicode } from '../bytes-to-unicode';
import { readBoolean, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import { gpt2Spans } from './gpt2-spans';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';

export { GPT2_PATTERN } from './gpt2-spans';

const BYTE_CHARS = bytesToUnicode();

/**
 * Options of {@link ByteLevel}; names as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * new ByteLevel({ addPrefixSpace: true });
 * ```
 */
export interface ByteLevelOptions {
  /** Add a space before the text if it has none, so the first word looks like the others. Default false. */
  addPrefixSpace?: boolean;
  /** Post-processing: drop the leading/trailing spaces a token carries from its offsets. Default true. */
  trimOffsets?: boolean;
  /** Split with the GPT-2 regex before mapping to bytes. Default true. */
  useRegex?: boolean;
}

/**
 * GPT-2's byte-level pre-tokenizer: splits with the GPT-2 regex, then writes every UTF-8 byte of
 * each word as its {@link bytesToUnicode} character, so BPE can represent any text losslessly.
 *
 * @example
 * ```ts
 * new ByteLevel().preTokenize(identityText('Hello world')).map((word) => word.text); // ['Hello', 'Ġworld']
 * ```
 */
export class ByteLevel implements PreTokenizer {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;

  constructor(options: ByteLevelOptions = {}) {
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    this.trimOffsets = options.trimOffsets ?? true;
    this.useRegex = options.useRegex ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): ByteLevel {
    return new ByteLevel({
      addPrefixSpace: readBoolean(json, 'add_prefix_space', path, false),
      trimOffsets: readBoolean(json, 'trim_offsets', path, true),
      useRegex: readBoolean(json, 'use_regex', path, true),
    });
  }

  preTokenize(input: NormalizedText): PreToken[] {
    let source = input;
    if (this.addPrefixSpace && source.text.length > 0 && !source.text.startsWith(' ')) {
      source = {
        text: ` ${source.text}`,
        starts: [source.starts[0]!, ...source.starts],
        ends: [source.ends[0]!, ...source.ends],
      };
    }
    const { text } = source;
    const words: PreToken[] = [];
    if (!this.useRegex) {
      if (text.length > 0) words.push(toBytes(source, 0, text.length));
      return words;
    }
    const spans = gpt2Spans(text);
    for (let index = 0; index < spans.length; index += 2) words.push(toBytes(source, spans[index]!, spans[index + 1]!));
    return words;
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}

/** Maps `source.text[from, to)` to byte characters, each keeping its source character's span. */
function toBytes(source: NormalizedText, from: number, to: number): PreToken {
  const { text, starts, ends } = source;
  let ascii = true;
  for (let index = from; index < to; index++) {
    if (text.charCodeAt(index) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let out = '';
    for (let index = from; index < to; index++) out += BYTE_CHARS[text.charCodeAt(index)]!;
    return { text: out, starts, ends, base: from };
  }
  let out = '';
  const wordStarts: number[] = [];
  const wordEnds: number[] = [];
  const emit = (byte: number, start: number, end: number): void => {
    out += BYTE_CHARS[byte]!;
    wordStarts.push(start);
    wordEnds.push(end);
  };
  for (let index = from; index < to; ) {
    let codePoint = text.charCodeAt(index);
    let width = 1;
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && index + 1 < to) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
        width = 2;
      }
    }
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) codePoint = 0xfffd; // lone surrogate: encoded as U+FFFD
    const start = starts[index]!;
    const end = ends[index + width - 1]!;
    if (codePoint < 0x80) {
      emit(codePoint, start, end);
    } else if (codePoint < 0x800) {
      emit(0xc0 | (codePoint >> 6), start, end);
      emit(0x80 | (codePoint & 63), start, end);
    } else if (codePoint < 0x10000) {
      emit(0xe0 | (codePoint >> 12), start, end);
      emit(0x80 | ((codePoint >> 6) & 63), start, end);
      emit(0x80 | (codePoint & 63), start, end);
    } else {
      emit(0xf0 | (codePoint >> 18), start, end);
      emit(0x80 | ((codePoint >> 12) & 63), start, end);
      emit(0x80 | ((codePoint >> 6) & 63), start, end);
      emit(0x80 | (codePoint & 63), start, end);
    }
    index += width;
  }
  return { text: out, starts: wordStarts, ends: wordEnds, base: 0 };
}
