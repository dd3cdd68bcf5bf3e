import { describe, readOptionalString, readVocab, TokenizerConfigError, type JsonObject } from '../json-fields';
import { invertVocab, vocabToJSON, type Model, type ModelJSON, type ModelToken } from './model';

/**
 * Options of {@link WordLevel}.
 *
 * @example
 * ```ts
 * new WordLevel({ vocab, unkToken: '[UNK]' });
 * ```
 */
export interface WordLevelOptions {
  vocab: ReadonlyMap<string, number>;
  /** Token for words not in the vocabulary; `null` makes them an error. Default '[UNK]'. */
  unkToken?: string | null;
}

/**
 * Word-level model: every pre-tokenized word is one vocabulary entry (or the unknown token).
 * With a character split it is a character-level model; with a whitespace split over phoneme
 * strings it maps `'HH AH0 L OW1'` to four phoneme ids.
 *
 * @example
 * ```ts
 * const model = new WordLevel({ vocab: new Map([['[UNK]', 0], ['HH', 1]]) });
 * model.tokenize('HH')[0]!.id; // 1
 * model.tokenize('XX')[0]!.id; // 0
 * ```
 */
export class WordLevel implements Model {
  readonly unkToken: string | null;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly tokens: string[];

  constructor(options: WordLevelOptions) {
    this.vocab = options.vocab;
    this.unkToken = options.unkToken === undefined ? '[UNK]' : options.unkToken;
    this.tokens = invertVocab(this.vocab);
    if (this.unkToken !== null && !this.vocab.has(this.unkToken)) {
      throw new TokenizerConfigError('model.unk_token', `expected a token of model.vocab, got ${describe(this.unkToken)}`);
    }
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): WordLevel {
    return new WordLevel({ vocab: readVocab(json, 'vocab', path), unkToken: readOptionalString(json, 'unk_token', path, null) });
  }

  tokenize(word: string): readonly ModelToken[] {
    const id = this.vocab.get(word);
    if (id !== undefined) return [{ id, value: word, start: 0, end: word.length }];
    if (this.unkToken === null) {
      throw new Error(`WordLevel: ${JSON.stringify(word)} is not in the vocabulary and the model has no unk token`);
    }
    return [{ id: this.vocab.get(this.unkToken)!, value: this.unkToken, start: 0, end: word.length }];
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
    return { type: 'WordLevel', vocab: vocabToJSON(this.vocab), unk_token: this.unkToken };
  }
}
