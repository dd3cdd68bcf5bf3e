import { describe, readInteger, readOptionalString, readString, readVocab, TokenizerConfigError, type JsonObject } from '../json-fields';
import { invertVocab, vocabToJSON, WordCache, type Model, type ModelJSON, type ModelToken } from './model';

/**
 * Options of {@link WordPiece}.
 *
 * @example
 * ```ts
 * new WordPiece({ vocab, unkToken: '[UNK]', maxInputCharsPerWord: 100 });
 * ```
 */
export interface WordPieceOptions {
  vocab: ReadonlyMap<string, number>;
  /** Token for words that cannot be split into vocabulary pieces. Default '[UNK]'. */
  unkToken?: string;
  /** Prefix marking a piece that continues a word. Default '##'. */
  continuingSubwordPrefix?: string;
  /** Longer words (in code points) become `unkToken` whole. Default 100. */
  maxInputCharsPerWord?: number;
}

/**
 * WordPiece (Schuster & Nakajima 2012, as used by BERT): greedy longest-match-first splitting of
 * each word into vocabulary pieces, later pieces prefixed with `##`; a word with any unmatched
 * part becomes `[UNK]`.
 *
 * @example
 * ```ts
 * const model = new WordPiece({ vocab: new Map([['[UNK]', 0], ['un', 1], ['##aff', 2], ['##able', 3]]) });
 * model.tokenize('unaffable').map((token) => token.value); // ['un', '##aff', '##able']
 * ```
 */
export class WordPiece implements Model {
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  readonly maxInputCharsPerWord: number;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly tokens: string[];
  private readonly unkId: number;
  private readonly cache = new WordCache();

  constructor(options: WordPieceOptions) {
    this.vocab = options.vocab;
    this.unkToken = options.unkToken ?? '[UNK]';
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? '##';
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.tokens = invertVocab(this.vocab);
    const unkId = this.vocab.get(this.unkToken);
    if (unkId === undefined) {
      throw new TokenizerConfigError('model.unk_token', `expected a token of model.vocab, got ${describe(this.unkToken)}`);
    }
    this.unkId = unkId;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): WordPiece {
    return new WordPiece({
      vocab: readVocab(json, 'vocab', path),
      unkToken: readString(json, 'unk_token', path),
      continuingSubwordPrefix: readOptionalString(json, 'continuing_subword_prefix', path, '##'),
      maxInputCharsPerWord: readInteger(json, 'max_input_chars_per_word', path, 100),
    });
  }

  tokenize(word: string): readonly ModelToken[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.split(word);
    this.cache.set(word, result);
    return result;
  }

  private split(word: string): readonly ModelToken[] {
    const whole = this.vocab.get(word);
    if (whole !== undefined) return [{ id: whole, value: word, start: 0, end: word.length }];
    const unknown = [{ id: this.unkId, value: this.unkToken, start: 0, end: word.length }];
    if (countCodePoints(word) > this.maxInputCharsPerWord) return unknown;
    const pieces: ModelToken[] = [];
    const prefix = this.continuingSubwordPrefix;
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found: ModelToken | undefined;
      while (start < end) {
        const code = word.charCodeAt(end - 1);
        // never cut a surrogate pair
        if (!(end < word.length && code >= 0xd800 && code <= 0xdbff)) {
          const piece = start > 0 ? prefix + word.slice(start, end) : word.slice(start, end);
          const id = this.vocab.get(piece);
          if (id !== undefined) {
            found = { id, value: piece, start, end };
            break;
          }
        }
        end--;
      }
      if (found === undefined) return unknown;
      pieces.push(found);
      start = found.end;
    }
    return pieces;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  getVocab(): ReadonlyMap<string, number> {
    return this.vocab;
  }

  toJSON(): ModelJSON {
    return {
      type: 'WordPiece',
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      max_input_chars_per_word: this.maxInputCharsPerWord,
      vocab: vocabToJSON(this.vocab),
    };
  }
}

function countCodePoints(word: string): number {
  let count = 0;
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    const previous = index > 0 ? word.charCodeAt(index - 1) : 0;
    if (!(code >= 0xdc00 && code <= 0xdfff && previous >= 0xd800 && previous <= 0xdbff)) count++;
  }
  return count;
}
