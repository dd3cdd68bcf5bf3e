import { appendUtf8 } from '../append-utf8';
import { describe, readArray, readBoolean, TokenizerConfigError, type JsonObject } from '../json-fields';
import { byteToken } from './bpe';
import { WordCache, type Model, type ModelJSON, type ModelToken } from './model';

/**
 * Options of {@link Unigram}.
 *
 * @example
 * ```ts
 * new Unigram({ vocab: [['<unk>', 0], ['▁a', -1.5], ['b', -2]], unkId: 0 });
 * ```
 */
export interface UnigramOptions {
  /** `[piece, score]` in id order; scores are log probabilities. */
  vocab: ReadonlyArray<readonly [string, number]>;
  /** Id of the unknown piece; null: characters no piece covers are dropped. */
  unkId: number | null;
  /** Unknown characters become their `<0xXX>` byte pieces when all exist. Default false. */
  byteFallback?: boolean;
}

/** SentencePiece's `kUnkPenalty`: an unknown character costs this much below the lowest score. */
const UNK_PENALTY = 10;

/**
 * The Unigram language model of subword units (Kudo 2018, SentencePiece): the segmentation of a
 * word with the highest total piece score, found by Viterbi over the lattice of vocabulary pieces.
 * A character no piece starts with gets the unknown piece, scored `min score - 10`; runs of
 * unknown characters fuse into one (its token text is the text it covers, as in Hugging Face). This is sentencepiece's `EncodeOptimized`, including its
 * float32 path scores (candidates compared in double) and its tie-breaking (the earliest start
 * wins), so ids match sentencepiece.
 *
 * @example
 * ```ts
 * const model = new Unigram({ vocab: [['<unk>', 0], ['▁he', -2], ['llo', -2], ['▁hello', -3]], unkId: 0 });
 * model.tokenize('▁hello').map((token) => token.value); // ['▁hello']
 * ```
 */
export class Unigram implements Model {
  readonly unkId: number | null;
  readonly byteFallback: boolean;
  readonly pieces: readonly string[];
  /** float32 scores, as sentencepiece keeps them. */
  readonly scores: Float32Array;
  private readonly rawScores: readonly number[];
  private readonly vocab = new Map<string, number>();
  private readonly unkScore: number;
  /** Trie over UTF-16 units: child of (node, unit) in `children`, piece id of a node in `nodePiece`. */
  private readonly children = new Map<number, number>();
  private nodePiece = new Int32Array(1024).fill(-1);
  private nodeCount = 1;
  private readonly cache = new WordCache();
  private readonly byteIds = new Int32Array(256).fill(-1);

  constructor(options: UnigramOptions) {
    const { vocab, unkId } = options;
    this.unkId = unkId;
    this.byteFallback = options.byteFallback ?? false;
    this.pieces = vocab.map(([piece]) => piece);
    this.scores = Float32Array.from(vocab, ([, score]) => score);
    this.rawScores = vocab.map(([, score]) => score);
    if (unkId !== null && (!Number.isInteger(unkId) || unkId < 0 || unkId >= vocab.length)) {
      throw new TokenizerConfigError('model.unk_id', `expected an id below the ${vocab.length} pieces, got ${describe(unkId)}`);
    }
    let minScore = Infinity;
    vocab.forEach(([piece, score], id) => {
      if (this.vocab.has(piece)) throw new TokenizerConfigError(`model.vocab[${id}]`, `duplicate piece ${describe(piece)} (also model.vocab[${this.vocab.get(piece)}])`);
      this.vocab.set(piece, id);
      if (score < minScore) minScore = score;
      if (piece.length > 0) this.insert(piece, id);
    });
    this.unkScore = Math.fround(Math.fround(minScore) - UNK_PENALTY);
    if (this.byteFallback) for (let byte = 0; byte < 256; byte++) this.byteIds[byte] = this.vocab.get(byteToken(byte)) ?? -1;
  }

  /** Builds one from its `tokenizer.json` form (`vocab` as `[piece, score]` pairs). */
  static fromJSON(json: JsonObject, path: string): Unigram {
    const vocab = readArray(json, 'vocab', path).map((entry, index): [string, number] => {
      if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'number' && Number.isFinite(entry[1])) return [entry[0], entry[1]];
      throw new TokenizerConfigError(`${path}.vocab[${index}]`, `expected [piece, finite score], got ${describe(entry)}`);
    });
    const unkId = json.unk_id;
    if (unkId !== undefined && unkId !== null && typeof unkId !== 'number') throw new TokenizerConfigError(`${path}.unk_id`, `expected an integer or null, got ${describe(unkId)}`);
    return new Unigram({ vocab, unkId: unkId ?? null, byteFallback: readBoolean(json, 'byte_fallback', path, false) });
  }

  tokenize(word: string): readonly ModelToken[] {
    if (word.length === 0) return [];
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const result = this.viterbi(word);
    this.cache.set(word, result);
    return result;
  }

  private insert(piece: string, id: number): void {
    let node = 0;
    for (let index = 0; index < piece.length; index++) {
      const key = node * 65536 + piece.charCodeAt(index);
      let child = this.children.get(key);
      if (child === undefined) {
        child = this.nodeCount++;
        if (child >= this.nodePiece.length) {
          const grown = new Int32Array(this.nodePiece.length * 2).fill(-1);
          grown.set(this.nodePiece);
          this.nodePiece = grown;
        }
        this.children.set(key, child);
      }
      node = child;
    }
    if (this.nodePiece[node]! < 0) this.nodePiece[node] = id;
  }

  /** sentencepiece `Model::EncodeOptimized`: best path score ending at each position. */
  private viterbi(word: string): ModelToken[] {
    const size = word.length;
    const bestScore = new Float64Array(size + 1);
    const startsAt = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1).fill(-1);
    const { children, nodePiece, scores, unkScore } = this;
    const unkId = this.unkId ?? -1;
    for (let start = 0; start < size; ) {
      const code = word.charCodeAt(start);
      const width = code >= 0xd800 && code <= 0xdbff && start + 1 < size ? 2 : 1;
      const here = bestScore[start]!;
      let hasSingle = false;
      let node = 0;
      for (let end = start; end < size; ) {
        const child = children.get(node * 65536 + word.charCodeAt(end));
        if (child === undefined) break;
        node = child;
        end++;
        const id = nodePiece[node]!;
        if (id >= 0) {
          // sentencepiece computes this candidate in double (its ternary with the user-defined
          // bonus is a double) and compares it with the float it stores: keep both roundings.
          const candidate = scores[id]! + here;
          if (startsAt[end] === -1 || candidate > bestScore[end]!) {
            bestScore[end] = Math.fround(candidate);
            startsAt[end] = start;
            bestId[end] = id;
          }
          if (end - start === width) hasSingle = true;
        }
      }
      if (!hasSingle) {
        const end = start + width;
        const candidate = Math.fround(unkScore + here);
        if (startsAt[end] === -1 || candidate > bestScore[end]!) {
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = unkId;
        }
      }
      start += width;
    }
    // Backtrack, fusing runs of unknown characters.
    const spans: Array<[number, number, number]> = [];
    for (let end = size; end > 0; ) {
      const start = startsAt[end]!;
      const id = bestId[end]!;
      const last = spans[spans.length - 1];
      if (id === unkId && last !== undefined && last[2] === unkId && unkId >= 0) last[0] = start;
      else spans.push([start, end, id]);
      end = start;
    }
    spans.reverse();
    const tokens: ModelToken[] = [];
    for (const [start, end, id] of spans) {
      if (id < 0) continue; // no unknown piece: dropped
      if (id === unkId && this.byteFallback && this.pushBytes(word, start, end, tokens)) continue;
      // as in Hugging Face, an unknown token's text is the text it covers
      tokens.push({ id, value: id === unkId ? word.slice(start, end) : this.pieces[id]!, start, end });
    }
    return tokens;
  }

  /** The `<0xXX>` pieces of `word[start, end)`'s UTF-8 bytes, each spanning its character; false if one is missing. */
  private pushBytes(word: string, start: number, end: number, tokens: ModelToken[]): boolean {
    const added: ModelToken[] = [];
    for (let index = start; index < end; ) {
      let point = word.codePointAt(index)!;
      const width = point > 0xffff ? 2 : 1;
      if (point >= 0xd800 && point <= 0xdfff) point = 0xfffd;
      const bytes: number[] = [];
      appendUtf8(point, bytes);
      for (const byte of bytes) {
        const id = this.byteIds[byte]!;
        if (id < 0) return false;
        added.push({ id, value: this.pieces[id]!, start: index, end: index + width });
      }
      index += width;
    }
    for (const token of added) tokens.push(token);
    return true;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.pieces[id];
  }

  getVocab(): ReadonlyMap<string, number> {
    return this.vocab;
  }

  toJSON(): ModelJSON {
    return { type: 'Unigram', unk_id: this.unkId, vocab: this.pieces.map((piece, id) => [piece, this.rawScores[id]!]), byte_fallback: this.byteFallback };
  }
}
