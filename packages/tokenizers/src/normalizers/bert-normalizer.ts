import { readBoolean, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import { isChineseChar, isControl, isWhitespace, stripAccentsOf } from '../unicode-classes';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * Options of {@link BertNormalizer}; names as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * new BertNormalizer({ lowercase: false, stripAccents: false });
 * ```
 */
export interface BertNormalizerOptions {
  /** Drop control characters and turn every whitespace into a plain space. Default true. */
  cleanText?: boolean;
  /** Surround CJK ideographs with spaces so each becomes its own word. Default true. */
  handleChineseChars?: boolean;
  /** Strip accents (NFD, drop Mn); `null` follows `lowercase`. Default null. */
  stripAccents?: boolean | null;
  /** Lowercase the text. Default true. */
  lowercase?: boolean;
}

/**
 * BERT's normalizer (Devlin et al. 2019; `BertNormalizer` in Hugging Face tokenizers): cleans
 * control characters, spaces out CJK ideographs, lowercases and strips accents, in one pass that
 * keeps offsets into the original text.
 *
 * @example
 * ```ts
 * const normalizer = new BertNormalizer();
 * normalizer.normalize(identityText('Héllo 中文')).text; // 'hello  中  文 '
 * ```
 */
export class BertNormalizer implements Normalizer {
  readonly cleanText: boolean;
  readonly handleChineseChars: boolean;
  readonly stripAccents: boolean | null;
  readonly lowercase: boolean;

  constructor(options: BertNormalizerOptions = {}) {
    this.cleanText = options.cleanText ?? true;
    this.handleChineseChars = options.handleChineseChars ?? true;
    this.stripAccents = options.stripAccents ?? null;
    this.lowercase = options.lowercase ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): BertNormalizer {
    return new BertNormalizer({
      cleanText: readBoolean(json, 'clean_text', path, true),
      handleChineseChars: readBoolean(json, 'handle_chinese_chars', path, true),
      stripAccents: readBoolean(json, 'strip_accents', path, null),
      lowercase: readBoolean(json, 'lowercase', path, true),
    });
  }

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    const strip = this.stripAccents ?? this.lowercase;
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    const pieces: string[] = [];
    let asciiRun = ''; // pending plain ASCII output, flushed before other pieces
    for (let index = 0; index < text.length; ) {
      let code = text.charCodeAt(index);
      if (code < 128) {
        // Hot path: ASCII.
        const start = starts[index]!;
        const end = ends[index]!;
        index++;
        if (this.cleanText) {
          if (code === 9 || code === 10 || code === 13) code = 32;
          else if (code < 32 || code === 127) continue; // NUL and other Cc controls are dropped
        }
        if (this.lowercase && code >= 65 && code <= 90) code += 32;
        asciiRun += String.fromCharCode(code);
        outStarts.push(start);
        outEnds.push(end);
        continue;
      }
      const codePoint = text.codePointAt(index)!;
      const width = codePoint > 0xffff ? 2 : 1;
      const start = starts[index]!;
      const end = ends[index + width - 1]!;
      const char = width === 1 ? text[index]! : text.slice(index, index + 2);
      index += width;
      let replacement = char;
      if (this.cleanText) {
        if (codePoint === 0xfffd || isControl(codePoint)) continue;
        if (isWhitespace(codePoint)) replacement = ' ';
      }
      if (replacement !== ' ') {
        // per character, like Rust's `char::to_lowercase` (no final-sigma rule)
        if (this.lowercase) replacement = replacement.toLowerCase();
        if (strip) replacement = stripAccentsOf(replacement); // CJK compatibility ideographs decompose too
        if (this.handleChineseChars && isChineseChar(codePoint)) replacement = ` ${replacement} `;
      }
      if (replacement.length === 0) continue;
      if (asciiRun.length > 0) {
        pieces.push(asciiRun);
        asciiRun = '';
      }
      pieces.push(replacement);
      for (let unit = 0; unit < replacement.length; unit++) {
        outStarts.push(start);
        outEnds.push(end);
      }
    }
    if (pieces.length === 0) return { text: asciiRun, starts: outStarts, ends: outEnds };
    pieces.push(asciiRun);
    return { text: pieces.join(''), starts: outStarts, ends: outEnds };
  }

  toJSON(): NormalizerJSON {
    return {
      type: 'BertNormalizer',
      clean_text: this.cleanText,
      handle_chinese_chars: this.handleChineseChars,
      strip_accents: this.stripAccents,
      lowercase: this.lowercase,
    };
  }
}
