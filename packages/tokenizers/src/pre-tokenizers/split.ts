import { describe, expectObject, readBoolean, readString, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';

/**
 * What {@link Split} does with the pieces its pattern matches.
 *
 * @example
 * ```ts
 * const behavior: SplitBehavior = 'Isolated';
 * ```
 */
export type SplitBehavior = 'Removed' | 'Isolated';

/**
 * Options of {@link Split}.
 *
 * @example
 * ```ts
 * new Split({ pattern: { String: '-' }, behavior: 'Removed' });
 * ```
 */
export interface SplitOptions {
  /** A literal string or a regular expression source (JavaScript syntax, Unicode mode). */
  pattern: { String: string } | { Regex: string };
  /** `Removed`: matches are dropped; `Isolated`: each match becomes its own word. */
  behavior: SplitBehavior;
  /** Swap the roles of matches and the text between them. Default false. */
  invert?: boolean;
}

/**
 * Hugging Face's `Split` pre-tokenizer for the `Removed` and `Isolated` behaviors. Regex
 * patterns are JavaScript regular expressions (Unicode mode), with `\s` and `\S` read as
 * Unicode White_Space like Oniguruma does. With
 * `{ pattern: { Regex: '\\S' }, behavior: 'Removed', invert: true }` every non-space character
 * becomes a word: the character-level split used for grapheme-to-phoneme inputs.
 *
 * @example
 * ```ts
 * const chars = new Split({ pattern: { Regex: '\\S' }, behavior: 'Removed', invert: true });
 * chars.preTokenize(identityText('cat')).map((word) => word.text); // ['c', 'a', 't']
 * ```
 */
export class Split implements PreTokenizer {
  readonly pattern: { String: string } | { Regex: string };
  readonly behavior: SplitBehavior;
  readonly invert: boolean;
  private readonly regex: RegExp;

  constructor(options: SplitOptions) {
    this.pattern = options.pattern;
    this.behavior = options.behavior;
    this.invert = options.invert ?? false;
    const source = 'String' in this.pattern ? escapeRegExp(this.pattern.String) : this.pattern.Regex;
    this.regex = new RegExp(unicodeSpaces(source), 'gu');
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): Split {
    const pattern = expectObject(json.pattern, `${path}.pattern`);
    const behavior = readString(json, 'behavior', path);
    if (behavior !== 'Removed' && behavior !== 'Isolated') {
      throw new TokenizerConfigError(`${path}.behavior`, `expected "Removed" or "Isolated", got ${describe(behavior)}`);
    }
    const invert = readBoolean(json, 'invert', path, false);
    let source: SplitOptions['pattern'];
    if (typeof pattern.String === 'string') source = { String: pattern.String };
    else if (typeof pattern.Regex === 'string') source = { Regex: pattern.Regex };
    else throw new TokenizerConfigError(`${path}.pattern`, `expected {"String": string} or {"Regex": string}`);
    try {
      return new Split({ pattern: source, behavior, invert });
    } catch (error) {
      throw new TokenizerConfigError(`${path}.pattern.Regex`, `invalid regular expression: ${(error as Error).message}`);
    }
  }

  preTokenize(input: NormalizedText): PreToken[] {
    const { text, starts, ends } = input;
    const words: PreToken[] = [];
    const push = (from: number, to: number): void => {
      if (to > from) words.push({ text: text.slice(from, to), starts, ends, base: from });
    };
    const keepMatches = this.invert ? true : this.behavior === 'Isolated';
    const keepGaps = this.invert ? this.behavior === 'Isolated' : true;
    let previous = 0;
    this.regex.lastIndex = 0;
    for (let match = this.regex.exec(text); match !== null; match = this.regex.exec(text)) {
      if (match[0].length === 0) {
        this.regex.lastIndex++;
        continue;
      }
      if (keepGaps) push(previous, match.index);
      if (keepMatches) push(match.index, match.index + match[0].length);
      previous = match.index + match[0].length;
    }
    if (keepGaps) push(previous, text.length);
    return words;
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'Split', pattern: this.pattern, behavior: this.behavior, invert: this.invert };
  }
}

/** `\s` / `\S` as Oniguruma (Hugging Face's Rust regexes) reads them: Unicode White_Space. */
function unicodeSpaces(source: string): string {
  return source.replace(/(?<!\\)((?:\\\\)*)\\([sS])/g, (_, escapes: string, letter: string) => `${escapes}\\${letter === 's' ? 'p' : 'P'}{White_Space}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
