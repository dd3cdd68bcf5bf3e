import { appendEncoding, emptyEncoding, type Encoding } from '../encoding';
import { readBoolean, type JsonObject } from '../json-fields';
import { labelSequence, type PostProcessor, type PostProcessorJSON } from './post-processor';

const SPACE_CHAR = 'Ġ';
const WHITE_SPACE = /^\p{White_Space}$/u;

/**
 * Options of {@link ByteLevelProcessing}; names as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * new ByteLevelProcessing({ trimOffsets: false });
 * ```
 */
export interface ByteLevelProcessingOptions {
  addPrefixSpace?: boolean;
  /** Drop the spaces a token carries (`Ġ`) from its offsets. Default true. */
  trimOffsets?: boolean;
  useRegex?: boolean;
}

/**
 * The byte-level post-processor (GPT-2, RoBERTa): adds no tokens, and with `trimOffsets` makes
 * a token like `Ġworld` point at `world` rather than ` world`.
 *
 * @example
 * ```ts
 * new ByteLevelProcessing({ trimOffsets: false }).addedTokens(false); // 0
 * ```
 */
export class ByteLevelProcessing implements PostProcessor {
  readonly addPrefixSpace: boolean;
  readonly trimOffsets: boolean;
  readonly useRegex: boolean;

  constructor(options: ByteLevelProcessingOptions = {}) {
    this.addPrefixSpace = options.addPrefixSpace ?? true;
    this.trimOffsets = options.trimOffsets ?? true;
    this.useRegex = options.useRegex ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): ByteLevelProcessing {
    return new ByteLevelProcessing({
      addPrefixSpace: readBoolean(json, 'add_prefix_space', path, true),
      trimOffsets: readBoolean(json, 'trim_offsets', path, true),
      useRegex: readBoolean(json, 'use_regex', path, true),
    });
  }

  addedTokens(): number {
    return 0;
  }

  process(encoding: Encoding, pair: Encoding | null): Encoding {
    const result = emptyEncoding();
    for (const [index, part] of [encoding, pair].entries()) {
      if (part === null) continue;
      if (this.trimOffsets) this.trim(part);
      appendEncoding(result, labelSequence(part, index, index));
    }
    return result;
  }

  private trim(encoding: Encoding): void {
    encoding.tokens.forEach((token, index) => {
      const chars = [...token];
      const isSpace = (char: string): boolean => char === SPACE_CHAR || WHITE_SPACE.test(char);
      let leading = 0;
      while (leading < chars.length && isSpace(chars[leading]!)) leading++;
      let trailing = 0;
      while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing]!)) trailing++;
      if (leading === 0 && trailing === 0) return;
      const offsets = encoding.offsets[index]!;
      let [start, end] = offsets;
      if (leading > 0) {
        const isFirst = index === 0 || start === 0;
        if (isFirst && this.addPrefixSpace && leading === 1) leading = 0;
        start = Math.min(start + leading, end);
      }
      if (trailing > 0 && end >= trailing) end = Math.max(end - trailing, start);
      encoding.offsets[index] = [start, end];
    });
  }

  toJSON(): PostProcessorJSON {
    return { type: 'ByteLevel', add_prefix_space: this.addPrefixSpace, trim_offsets: this.trimOffsets, use_regex: this.useRegex };
  }
}
