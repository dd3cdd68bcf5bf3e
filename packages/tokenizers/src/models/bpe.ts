import { appendUtf8 } from '../append-utf8';
import { describe, readArray, readBoolean, readOptionalString, readVocab, TokenizerConfigError, type JsonObject } from '../json-fields';
import { MergeQueue } from './merge-queue';
import { invertVocab, vocabToJSON, WordCache, type Model, type ModelJSON, type ModelToken } from './model';

/**
 * Options of {@link BPE}.
 *
 * @example
 * ```ts
 * new BPE({ vocab, merges: [['a', 'b']], unkToken: null });
 * ```
 */
export interface BPEOptions {
  vocab: ReadonlyMap<string, number>;
  /** Merge rules in priority order: `[left, right]` pairs whose concatenation is in `vocab`. */
  merges: ReadonlyArray<readonly [string, string]>;
  /** Token for characters not in the vocabulary; `null` drops them. Default null. */
  unkToken?: string | null;
  /** Prefix of every symbol that does not start a word (e.g. '##'). Default null. */
  continuingSubwordPrefix?: string | null;
  /** Suffix of the symbol that ends a word (e.g. '</w>'). Default null. */
  endOfWordSuffix?: string | null;
  /** Fuse consecutive unknown tokens into one. Default false. */
  fuseUnk?: boolean;
  /** Words already in the vocabulary are not merged further. Default false. */
  ignoreMerges?: boolean;
  /**
   * A character missing from the vocabulary becomes the tokens of its UTF-8 bytes, `<0x41>`-style
   * (SentencePiece's byte fallback), when all of them are in the vocabulary; otherwise unknown.
   * Default false.
   */
  byteFallback?: boolean;
}

/** Token and merge ids are below this (packed as `left * ID_LIMIT + right` in the merge table). */
const ID_LIMIT = 2 ** 24;
/** Queue keys are `rank * QUEUE_POSITIONS + position`: positions up to 2^31 and ranks below 2^22 stay exact in a double. */
const QUEUE_POSITIONS = 2 ** 31;
const RANK_LIMIT = 2 ** 22;

/** `<0x41>`: the SentencePiece byte-fallback token of a byte. */
export function byteToken(byte: number): string {
  return `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
}

/**
 * Byte-pair encoding (Sennrich et al. 2016; byte-level for GPT-2): start from characters and
 * repeatedly apply the lowest-ranked merge rule present in the word.
 *
 * @example
 * ```ts
 * const vocab = new Map([['a', 0], ['b', 1], ['ab', 2]]);
 * const model = new BPE({ vocab, merges: [['a', 'b']] });
 * model.tokenize('abab').map((token) => token.value); // ['ab', 'ab']
 * ```
 */
export class BPE implements Model {
  readonly unkToken: string | null;
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly fuseUnk: boolean;
  readonly ignoreMerges: boolean;
  readonly byteFallback: boolean;
  readonly merges: ReadonlyArray<readonly [string, string]>;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly tokens: string[];
  /** (leftId * ID_LIMIT + rightId) → rank * ID_LIMIT + mergedId. */
  private readonly mergeTable = new Map<number, number>();
  private readonly cache = new WordCache();
  /** Id of `<0xXX>` per byte (-1: missing), with byte fallback. */
  private readonly byteIds = new Int32Array(256).fill(-1);

  constructor(options: BPEOptions) {
    this.vocab = options.vocab;
    this.merges = options.merges;
    this.unkToken = options.unkToken ?? null;
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = options.endOfWordSuffix ?? null;
    this.fuseUnk = options.fuseUnk ?? false;
    this.ignoreMerges = options.ignoreMerges ?? false;
    this.byteFallback = options.byteFallback ?? false;
    this.tokens = invertVocab(this.vocab);
    if (this.tokens.length >= ID_LIMIT) {
      throw new TokenizerConfigError('model.vocab', `expected fewer than ${ID_LIMIT} tokens, got ${this.tokens.length}`);
    }
    if (this.merges.length >= RANK_LIMIT) {
      throw new TokenizerConfigError('model.merges', `expected fewer than ${RANK_LIMIT} merges, got ${this.merges.length}`);
    }
    if (this.byteFallback) {
      for (let byte = 0; byte < 256; byte++) this.byteIds[byte] = this.vocab.get(byteToken(byte)) ?? -1;
    }
    if (this.unkToken !== null && !this.vocab.has(this.unkToken)) {
      throw new TokenizerConfigError('model.unk_token', `expected a token of model.vocab, got ${describe(this.unkToken)}`);
    }
    const prefixLength = this.continuingSubwordPrefix?.length ?? 0;
    this.merges.forEach(([left, right], rank) => {
      const leftId = this.vocab.get(left);
      const rightId = this.vocab.get(right);
      const mergedId = this.vocab.get(left + right.slice(prefixLength));
      if (leftId === undefined || rightId === undefined || mergedId === undefined) {
        const missing = leftId === undefined ? left : rightId === undefined ? right : left + right.slice(prefixLength);
        throw new TokenizerConfigError(`model.merges[${rank}]`, `expected tokens of model.vocab, but ${JSON.stringify(missing)} is not one`);
      }
      const key = leftId * ID_LIMIT + rightId;
      if (!this.mergeTable.has(key)) this.mergeTable.set(key, rank * ID_LIMIT + mergedId);
    });
  }

  /** Builds one from its `tokenizer.json` form (merges as `"a b"` strings or `["a", "b"]` pairs). */
  static fromJSON(json: JsonObject, path: string): BPE {
    if (json.dropout !== undefined && json.dropout !== null) {
      throw new TokenizerConfigError(`${path}.dropout`, `expected null (BPE dropout is not supported), got ${describe(json.dropout)}`);
    }
    const merges = readArray(json, 'merges', path).map((merge, index): [string, string] => {
      if (typeof merge === 'string') {
        const parts = merge.split(' ');
        if (parts.length === 2) return [parts[0]!, parts[1]!];
      } else if (Array.isArray(merge) && merge.length === 2 && typeof merge[0] === 'string' && typeof merge[1] === 'string') {
        return [merge[0], merge[1]];
      }
      throw new TokenizerConfigError(`${path}.merges[${index}]`, `expected "left right" or ["left", "right"], got ${describe(merge)}`);
    });
    return new BPE({
      vocab: readVocab(json, 'vocab', path),
      merges,
      unkToken: readOptionalString(json, 'unk_token', path, null),
      continuingSubwordPrefix: readOptionalString(json, 'continuing_subword_prefix', path, null) || null,
      endOfWordSuffix: readOptionalString(json, 'end_of_word_suffix', path, null) || null,
      fuseUnk: readBoolean(json, 'fuse_unk', path, false),
      ignoreMerges: readBoolean(json, 'ignore_merges', path, false),
      byteFallback: readBoolean(json, 'byte_fallback', path, false),
    });
  }

  tokenize(word: string): readonly ModelToken[] {
    if (word.length === 0) return [];
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.merge(word);
    this.cache.set(word, result);
    return result;
  }

  private merge(word: string): readonly ModelToken[] {
    if (this.ignoreMerges) {
      const id = this.vocab.get(word);
      if (id !== undefined) return [{ id, value: word, start: 0, end: word.length }];
    }
    // Symbols as a doubly linked list over arrays.
    const ids: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const unkId = this.unkToken === null ? -1 : this.vocab.get(this.unkToken)!;
    for (let index = 0; index < word.length; ) {
      const code = word.charCodeAt(index);
      const width = code >= 0xd800 && code <= 0xdbff && index + 1 < word.length ? 2 : 1;
      let symbol = word.slice(index, index + width);
      if (index > 0 && this.continuingSubwordPrefix !== null) symbol = this.continuingSubwordPrefix + symbol;
      if (index + width === word.length && this.endOfWordSuffix !== null) symbol += this.endOfWordSuffix;
      const id = this.vocab.get(symbol);
      if (id !== undefined) {
        ids.push(id);
        starts.push(index);
        ends.push(index + width);
      } else if (this.byteFallback && this.pushBytes(word.codePointAt(index)!, width, index, ids, starts, ends)) {
        // each UTF-8 byte became its <0xXX> token
      } else if (unkId >= 0) {
        const last = ids.length - 1;
        if (this.fuseUnk && last >= 0 && ids[last] === unkId) ends[last] = index + width;
        else {
          ids.push(unkId);
          starts.push(index);
          ends.push(index + width);
        }
      }
      index += width;
    }
    const count = ids.length;
    const next: number[] = new Array<number>(count);
    const previous: number[] = new Array<number>(count);
    for (let index = 0; index < count; index++) {
      next[index] = index + 1 < count ? index + 1 : -1;
      previous[index] = index - 1;
    }
    const queue = new MergeQueue();
    const table = this.mergeTable;
    const enqueue = (position: number): void => {
      const right = next[position]!;
      if (right < 0) return;
      const merge = table.get(ids[position]! * ID_LIMIT + ids[right]!);
      if (merge !== undefined) queue.push(Math.floor(merge / ID_LIMIT) * QUEUE_POSITIONS + position);
    };
    for (let index = 0; index + 1 < count; index++) enqueue(index);
    const alive = new Uint8Array(count).fill(1);
    while (queue.size > 0) {
      const key = queue.pop()!;
      const position = key % QUEUE_POSITIONS;
      const rank = (key - position) / QUEUE_POSITIONS;
      if (!alive[position]) continue;
      const right = next[position]!;
      if (right < 0) continue;
      const merge = table.get(ids[position]! * ID_LIMIT + ids[right]!);
      if (merge === undefined || Math.floor(merge / ID_LIMIT) !== rank) continue; // stale entry
      ids[position] = merge % ID_LIMIT;
      ends[position] = ends[right]!;
      alive[right] = 0;
      next[position] = next[right]!;
      if (next[right]! >= 0) previous[next[right]!] = position;
      if (previous[position]! >= 0) enqueue(previous[position]!);
      enqueue(position);
    }
    const result: ModelToken[] = [];
    for (let index = count > 0 ? 0 : -1; index >= 0; index = next[index]!) {
      result.push({ id: ids[index]!, value: this.tokens[ids[index]!]!, start: starts[index]!, end: ends[index]! });
    }
    return result;
  }

  /** Pushes the byte tokens of one code point; false (nothing pushed) if one is missing. */
  private pushBytes(codePoint: number, width: number, index: number, ids: number[], starts: number[], ends: number[]): boolean {
    const point = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint; // lone surrogate: U+FFFD
    const bytes: number[] = [];
    appendUtf8(point, bytes);
    if (bytes.some((byte) => this.byteIds[byte]! < 0)) return false;
    for (const byte of bytes) {
      ids.push(this.byteIds[byte]!);
      starts.push(index);
      ends.push(index + width);
    }
    return true;
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
      type: 'BPE',
      dropout: null,
      unk_token: this.unkToken,
      continuing_subword_prefix: this.continuingSubwordPrefix,
      end_of_word_suffix: this.endOfWordSuffix,
      fuse_unk: this.fuseUnk,
      byte_fallback: this.byteFallback,
      ignore_merges: this.ignoreMerges,
      vocab: vocabToJSON(this.vocab),
      merges: this.merges.map(([left, right]) => [left, right]),
    };
  }
}
