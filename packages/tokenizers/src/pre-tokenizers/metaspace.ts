import { describe, readBoolean, readOptionalString, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';

/**
 * When {@link Metaspace} puts the replacement before the text: every time, only before the start
 * of the input (`first`), or never.
 *
 * @example
 * ```ts
 * const scheme: PrependScheme = 'always';
 * ```
 */
export type PrependScheme = 'always' | 'first' | 'never';

/**
 * Options of {@link Metaspace}; names as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * new Metaspace({ replacement: '▁', prependScheme: 'always', split: true });
 * ```
 */
export interface MetaspaceOptions {
  /** The character that stands for a space. Default '▁' (U+2581). */
  replacement?: string;
  /** Default 'always'. */
  prependScheme?: PrependScheme;
  /** Split into words, each starting at a replacement character. Default true. */
  split?: boolean;
}

/**
 * SentencePiece-style pre-tokenizer (Hugging Face's `Metaspace`): spaces become `replacement`,
 * one is put before the text unless it starts with one (per `prependScheme`), and with `split`
 * the text is cut before every replacement character.
 *
 * @example
 * ```ts
 * new Metaspace().preTokenize(identityText('Hey friend')).map((word) => word.text); // ['▁Hey', '▁friend']
 * ```
 */
export class Metaspace implements PreTokenizer {
  readonly replacement: string;
  readonly prependScheme: PrependScheme;
  readonly split: boolean;

  constructor(options: MetaspaceOptions = {}) {
    this.replacement = options.replacement ?? '\u2581';
    this.prependScheme = options.prependScheme ?? 'always';
    this.split = options.split ?? true;
    if (this.replacement.length === 0 || [...this.replacement].length !== 1) {
      throw new TokenizerConfigError('pre_tokenizer.replacement', `expected one character, got ${describe(this.replacement)}`);
    }
  }

  /** Builds one from its `tokenizer.json` form (also the older `add_prefix_space` field). */
  static fromJSON(json: JsonObject, path: string): Metaspace {
    return new Metaspace({ replacement: readOptionalString(json, 'replacement', path, '\u2581'), prependScheme: readPrependScheme(json, path), split: readBoolean(json, 'split', path, true) });
  }

  preTokenize(input: NormalizedText): PreToken[] {
    const replacement = this.replacement;
    let text = input.text.includes(' ') ? input.text.replaceAll(' ', replacement) : input.text;
    let { starts, ends } = input;
    if (replacement.length !== 1 && text !== input.text) {
      // a two-unit replacement: rebuild the alignment
      const outStarts: number[] = [];
      const outEnds: number[] = [];
      for (let index = 0; index < input.text.length; index++) {
        const count = input.text[index] === ' ' ? replacement.length : 1;
        for (let unit = 0; unit < count; unit++) {
          outStarts.push(starts[index]!);
          outEnds.push(ends[index]!);
        }
      }
      starts = outStarts;
      ends = outEnds;
    }
    const prepend = this.prependScheme === 'always' || (this.prependScheme === 'first' && starts[0] === 0);
    if (prepend && text.length > 0 && !text.startsWith(replacement)) {
      text = replacement + text;
      starts = [...new Array<number>(replacement.length).fill(starts[0]!), ...starts];
      ends = [...new Array<number>(replacement.length).fill(starts[0]!), ...ends];
    }
    const words: PreToken[] = [];
    if (!this.split) {
      if (text.length > 0) words.push({ text, starts, ends, base: 0 });
      return words;
    }
    // Merged with next: every word starts at a replacement character.
    let start = 0;
    for (let index = text.indexOf(replacement, 1); index >= 0; index = text.indexOf(replacement, index + 1)) {
      if (index > start) words.push({ text: text.slice(start, index), starts, ends, base: start });
      start = index;
    }
    if (text.length > start) words.push({ text: text.slice(start), starts, ends, base: start });
    return words;
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'Metaspace', replacement: this.replacement, prepend_scheme: this.prependScheme, split: this.split };
  }
}

/** `prepend_scheme`, or the older `add_prefix_space` boolean (true: always). */
export function readPrependScheme(json: JsonObject, path: string): PrependScheme {
  const scheme = json.prepend_scheme;
  if (scheme === undefined || scheme === null) return readBoolean(json, 'add_prefix_space', path, true) ? 'always' : 'never';
  if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') {
    throw new TokenizerConfigError(`${path}.prepend_scheme`, `expected "always", "first" or "never", got ${describe(scheme)}`);
  }
  return scheme;
}
