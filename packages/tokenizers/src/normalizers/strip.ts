import { readBoolean, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

const WHITESPACE = /\p{White_Space}/u;

/**
 * Hugging Face's `Strip` normalizer: removes Unicode whitespace (Rust's `char::is_whitespace`,
 * the White_Space property) from the left and/or right end.
 *
 * @example
 * ```ts
 * new Strip({ left: false, right: true }).normalize(identityText('  hi \t')).text; // '  hi'
 * ```
 */
export class Strip implements Normalizer {
  readonly left: boolean;
  readonly right: boolean;

  constructor(options: { left?: boolean; right?: boolean } = {}) {
    this.left = options.left ?? true;
    this.right = options.right ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): Strip {
    return new Strip({ left: readBoolean(json, 'strip_left', path, true), right: readBoolean(json, 'strip_right', path, true) });
  }

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    let from = 0;
    let to = text.length;
    if (this.left) while (from < to && WHITESPACE.test(text[from]!)) from++;
    if (this.right) while (to > from && WHITESPACE.test(text[to - 1]!)) to--;
    if (from === 0 && to === text.length) return input;
    return { text: text.slice(from, to), starts: starts.slice(from, to), ends: ends.slice(from, to) };
  }

  toJSON(): NormalizerJSON {
    return { type: 'Strip', strip_left: this.left, strip_right: this.right };
  }
}
