/**
 * One token a model produced for a word: its id, text and code-unit span inside the word.
 *
 * @example
 * ```ts
 * const [token] = new WordLevel({ vocab: new Map([['[UNK]', 0]]) }).tokenize('x'); // { id: 0, value: '[UNK]', start: 0, end: 1 }
 * ```
 */
export interface ModelToken {
  readonly id: number;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * JSON form of a model, as in a Hugging Face `tokenizer.json`.
 *
 * @example
 * ```ts
 * const json: ModelJSON = { type: 'WordLevel', vocab: { '[UNK]': 0 }, unk_token: '[UNK]' };
 * ```
 */
export interface ModelJSON {
  type: string;
  [field: string]: unknown;
}

/**
 * A tokenization model splits one pre-tokenized word into vocabulary tokens.
 *
 * @example
 * ```ts
 * const model: Model = new WordLevel({ vocab: new Map([['hi', 0], ['[UNK]', 1]]), unkToken: '[UNK]' });
 * model.tokenize('hi'); // [{ id: 0, value: 'hi', start: 0, end: 2 }]
 * ```
 */
export interface Model {
  tokenize(word: string): readonly ModelToken[];
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** The model's vocabulary, token → id. */
  getVocab(): ReadonlyMap<string, number>;
  /** The `tokenizer.json` form of this model. */
  toJSON(): ModelJSON;
}

/** Inverts a vocabulary into an id → token array. */
export function invertVocab(vocab: ReadonlyMap<string, number>): string[] {
  const tokens: string[] = [];
  for (const [token, id] of vocab) tokens[id] = token;
  return tokens;
}

/** Sorts a vocabulary by id into a plain `{ token: id }` object for JSON. */
export function vocabToJSON(vocab: ReadonlyMap<string, number>): Record<string, number> {
  const entries = [...vocab].sort((left, right) => left[1] - right[1]);
  const json: Record<string, number> = {};
  for (const [token, id] of entries) json[token] = id;
  return json;
}

/**
 * Words of at least this many UTF-16 units are never cached (Hugging Face's `MAX_LENGTH`): a
 * multi-megabyte "word" would otherwise stay alive in the cache after its result is dropped.
 */
export const WORD_CACHE_MAX_LENGTH = 256;

/**
 * A bounded word → tokens cache (cleared when full) for words shorter than
 * {@link WORD_CACHE_MAX_LENGTH}, as Hugging Face models keep.
 *
 * @example
 * ```ts
 * const cache = new WordCache();
 * cache.set('hi', tokens);
 * cache.get('hi'); // tokens
 * ```
 */
export class WordCache {
  private readonly entries = new Map<string, readonly ModelToken[]>();

  constructor(private readonly capacity = 50_000) {}

  get(word: string): readonly ModelToken[] | undefined {
    return word.length < WORD_CACHE_MAX_LENGTH ? this.entries.get(word) : undefined;
  }

  set(word: string, tokens: readonly ModelToken[]): void {
    if (word.length >= WORD_CACHE_MAX_LENGTH) return;
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(word, tokens);
  }
}
