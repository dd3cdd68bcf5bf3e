import { describe, expectObject, readString, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * A literal string or a regular expression source (JavaScript syntax, Unicode mode), as in
 * `tokenizer.json`.
 *
 * @example
 * ```ts
 * const pattern: ReplacePattern = { Regex: ' {2,}' };
 * ```
 */
export type ReplacePattern = { String: string } | { Regex: string };

/** Reads a `{String}` / `{Regex}` pattern and compiles it (global, Unicode). */
export function readPattern(json: JsonObject, path: string): { pattern: ReplacePattern; regex: RegExp } {
  const raw = expectObject(json.pattern, `${path}.pattern`);
  let pattern: ReplacePattern;
  if (typeof raw.String === 'string') pattern = { String: raw.String };
  else if (typeof raw.Regex === 'string') pattern = { Regex: raw.Regex };
  else throw new TokenizerConfigError(`${path}.pattern`, `expected {"String": string} or {"Regex": string}, got ${describe(raw)}`);
  try {
    return { pattern, regex: compilePattern(pattern) };
  } catch (error) {
    throw new TokenizerConfigError(`${path}.pattern.Regex`, `invalid regular expression: ${(error as Error).message}`);
  }
}

/** A pattern as a global Unicode RegExp. */
export function compilePattern(pattern: ReplacePattern): RegExp {
  const source = 'String' in pattern ? pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.Regex;
  return new RegExp(source, 'gu');
}

/**
 * Hugging Face's `Replace` normalizer: every match of `pattern` becomes `content`. Each unit of
 * `content` keeps the span of the text it replaced.
 *
 * @example
 * ```ts
 * new Replace({ String: ' ' }, '▁').normalize(identityText('a b')).text; // 'a▁b'
 * new Replace({ Regex: ' {2,}' }, ' ').normalize(identityText('a   b')).text; // 'a b'
 * ```
 */
export class Replace implements Normalizer {
  private readonly regex: RegExp;

  constructor(
    readonly pattern: ReplacePattern,
    readonly content: string,
  ) {
    this.regex = compilePattern(pattern);
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): Replace {
    const { pattern } = readPattern(json, path);
    return new Replace(pattern, readString(json, 'content', path));
  }

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    if ('String' in this.pattern && this.pattern.String.length === this.content.length && this.content.length > 0) {
      // same length ('  ' → '▁▁'): every unit keeps its own span, the alignment is unchanged
      return text.includes(this.pattern.String) ? { text: text.replaceAll(this.pattern.String, this.content), starts, ends } : input;
    }
    const regex = this.regex;
    regex.lastIndex = 0;
    let match = regex.exec(text);
    if (match === null) return input;
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    let out = '';
    let previous = 0;
    const content = this.content;
    for (; match !== null; match = regex.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) {
        regex.lastIndex++;
        continue;
      }
      out += text.slice(previous, start);
      for (let index = previous; index < start; index++) {
        outStarts.push(starts[index]!);
        outEnds.push(ends[index]!);
      }
      out += content;
      for (let unit = 0; unit < content.length; unit++) {
        outStarts.push(starts[start]!);
        outEnds.push(ends[end - 1]!);
      }
      previous = end;
    }
    out += text.slice(previous);
    for (let index = previous; index < text.length; index++) {
      outStarts.push(starts[index]!);
      outEnds.push(ends[index]!);
    }
    return { text: out, starts: outStarts, ends: outEnds };
  }

  toJSON(): NormalizerJSON {
    return { type: 'Replace', pattern: this.pattern, content: this.content };
  }
}
