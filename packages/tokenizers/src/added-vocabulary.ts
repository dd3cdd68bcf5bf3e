import { describe, expectObject, readBoolean, readInteger, readString, TokenizerConfigError } from './json-fields';

/**
 * A token added on top of the model vocabulary (e.g. `[CLS]`, `<|endoftext|>`), as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * const cls: AddedToken = { id: 101, content: '[CLS]', special: true, normalized: false };
 * ```
 */
export interface AddedToken {
  id: number;
  content: string;
  /** Only match as a whole word. Default false. */
  singleWord?: boolean;
  /** Also swallow whitespace on its left. Default false. */
  lstrip?: boolean;
  /** Also swallow whitespace on its right. Default false. */
  rstrip?: boolean;
  /** Match in normalized text (true) or in the raw input (false). Default `!special`. */
  normalized?: boolean;
  /** A special token: skipped by `decode(ids, { skipSpecialTokens: true })`. Default false. */
  special?: boolean;
}

/** A match of an added token in a string: `[start, end)` and the token. */
export interface AddedTokenMatch {
  start: number;
  end: number;
  token: AddedToken;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE = /\p{White_Space}/u;

/**
 * Finds added tokens in text, leftmost first and longest at a position, honouring `singleWord`,
 * `lstrip` and `rstrip` like Hugging Face's AddedVocabulary.
 *
 * @example
 * ```ts
 * const matcher = new AddedTokenMatcher([{ id: 101, content: '[CLS]', special: true }]);
 * matcher.find('x [CLS] y'); // [{ start: 2, end: 7, token: … }]
 * ```
 */
export class AddedTokenMatcher {
  private readonly byContent = new Map<string, AddedToken>();
  private readonly pattern: RegExp | null;

  constructor(tokens: readonly AddedToken[]) {
    for (const token of tokens) if (token.content.length > 0) this.byContent.set(token.content, token);
    const contents = [...this.byContent.keys()].sort((left, right) => right.length - left.length);
    this.pattern = contents.length === 0 ? null : new RegExp(contents.map(escapeRegExp).join('|'), 'gu');
  }

  get isEmpty(): boolean {
    return this.pattern === null;
  }

  find(text: string): AddedTokenMatch[] {
    const matches: AddedTokenMatch[] = [];
    const pattern = this.pattern;
    if (pattern === null) return matches;
    pattern.lastIndex = 0;
    let consumed = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const token = this.byContent.get(match[0])!;
      let start = match.index;
      let end = start + match[0].length;
      if (token.singleWord) {
        const before = start > 0 ? text[start - 1]! : '';
        const after = end < text.length ? text[end]! : '';
        if ((before !== '' && WORD_CHAR.test(before)) || (after !== '' && WORD_CHAR.test(after))) {
          pattern.lastIndex = start + 1;
          continue;
        }
      }
      if (token.lstrip) while (start > consumed && SPACE.test(text[start - 1]!)) start--;
      if (token.rstrip) while (end < text.length && SPACE.test(text[end]!)) end++;
      matches.push({ start, end, token });
      consumed = end;
      pattern.lastIndex = end;
    }
    return matches;
  }
}

/** Reads the `added_tokens` array of a `tokenizer.json`. */
export function addedTokensFromJSON(value: unknown, path = 'added_tokens'): AddedToken[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TokenizerConfigError(path, `expected an array, got ${describe(value)}`);
  return value.map((item, index) => {
    const itemPath = `${path}[${index}]`;
    const json = expectObject(item, itemPath);
    if (typeof json.id !== 'number') throw new TokenizerConfigError(`${itemPath}.id`, `expected a non-negative integer, got ${describe(json.id)}`);
    const special = readBoolean(json, 'special', itemPath, false);
    return {
      id: readInteger(json, 'id', itemPath, 0),
      content: readString(json, 'content', itemPath),
      singleWord: readBoolean(json, 'single_word', itemPath, false),
      lstrip: readBoolean(json, 'lstrip', itemPath, false),
      rstrip: readBoolean(json, 'rstrip', itemPath, false),
      normalized: readBoolean(json, 'normalized', itemPath, !special),
      special,
    };
  });
}

/** Writes added tokens in `tokenizer.json` form. */
export function addedTokensToJSON(tokens: readonly AddedToken[]): Array<Record<string, unknown>> {
  return tokens.map((token) => ({
    id: token.id,
    content: token.content,
    single_word: token.singleWord ?? false,
    lstrip: token.lstrip ?? false,
    rstrip: token.rstrip ?? false,
    normalized: token.normalized ?? !(token.special ?? false),
    special: token.special ?? false,
  }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
