import { Unigram } from '../models/unigram';
import { countWords, type WordPipeline } from './word-counts';

/**
 * Options of {@link UnigramTrainer}; names and defaults as sentencepiece's trainer flags.
 *
 * @example
 * ```ts
 * new UnigramTrainer({ vocabSize: 8000, specialTokens: ['<unk>', '<s>', '</s>'], unkToken: '<unk>' });
 * ```
 */
export interface UnigramTrainerOptions {
  /** Final vocabulary size, special tokens included; every character of the corpus is always kept. */
  vocabSize: number;
  /** Tokens placed first in the vocabulary (score 0), in this order. Default ['<unk>']. */
  specialTokens?: string[];
  /** Unknown token of the trained model (must be among `specialTokens`). Default '<unk>'. */
  unkToken?: string;
  /** Pieces kept by each pruning round (sentencepiece `shrinking_factor`). Default 0.75. */
  shrinkingFactor?: number;
  /** Longest piece, in characters (`max_sentencepiece_length`). Default 16. */
  maxPieceLength?: number;
  /** EM iterations between prunings (`num_sub_iterations`). Default 2. */
  nSubIterations?: number;
  /** Initial pieces: the most frequent substrings by frequency × length (`seed_sentencepiece_size`). Default 1,000,000. */
  seedSize?: number;
}

const SPACE = '\u2581';

/**
 * Trains a {@link Unigram} model as sentencepiece's `unigram::Trainer` does (Kudo 2018): seed with
 * frequent substrings of the words (every character, and pieces holding "▁" only at their start),
 * then alternate EM over the lattice of each word (expected piece counts by forward-backward, new
 * log probabilities through digamma, pieces expected less than 0.5 times dropped) with pruning (keep
 * the `shrinkingFactor` share of pieces whose removal would cost the most likelihood, a piece's
 * frequency going to its best alternative segmentation) until 1.1 × `vocabSize` pieces are left;
 * then the characters and the best-scored pieces make the vocabulary. Seeds come from counting
 * substrings rather than a suffix array, and no piece-script rules apply, so vocabularies are close
 * to, not identical with, sentencepiece's. Deterministic: the same word counts give the same model.
 *
 * @example
 * ```ts
 * const model = new UnigramTrainer({ vocabSize: 1000 }).train(texts, { preTokenizer: new Metaspace() });
 * model.tokenize('▁hello').map((token) => token.value);
 * ```
 */
export class UnigramTrainer {
  readonly vocabSize: number;
  readonly specialTokens: string[];
  readonly unkToken: string;
  readonly shrinkingFactor: number;
  readonly maxPieceLength: number;
  readonly nSubIterations: number;
  readonly seedSize: number;

  constructor(options: UnigramTrainerOptions) {
    if (!Number.isInteger(options.vocabSize) || options.vocabSize <= 0) throw new RangeError(`vocabSize: expected a positive integer, got ${String(options.vocabSize)}`);
    this.vocabSize = options.vocabSize;
    this.specialTokens = options.specialTokens ?? ['<unk>'];
    this.unkToken = options.unkToken ?? '<unk>';
    this.shrinkingFactor = options.shrinkingFactor ?? 0.75;
    this.maxPieceLength = options.maxPieceLength ?? 16;
    this.nSubIterations = options.nSubIterations ?? 2;
    this.seedSize = options.seedSize ?? 1_000_000;
    if (!this.specialTokens.includes(this.unkToken)) throw new RangeError(`unkToken: expected one of specialTokens [${this.specialTokens.join(', ')}], got ${JSON.stringify(this.unkToken)}`);
    if (!(this.shrinkingFactor > 0 && this.shrinkingFactor < 1)) throw new RangeError(`shrinkingFactor: expected a number in (0, 1), got ${String(options.shrinkingFactor)}`);
    for (const [name, value] of [['maxPieceLength', this.maxPieceLength], ['nSubIterations', this.nSubIterations], ['seedSize', this.seedSize]] as const) {
      if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name}: expected a positive integer, got ${String(value)}`);
    }
  }

  /** Trains on texts passed through `pipeline` (normalizer and pre-tokenizer, e.g. `Metaspace`). */
  train(texts: Iterable<string>, pipeline: WordPipeline = {}): Unigram {
    return this.trainOnCounts(countWords(texts, pipeline));
  }

  /** Trains on precomputed word counts. */
  trainOnCounts(wordCounts: ReadonlyMap<string, number>): Unigram {
    const words = [...wordCounts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const charCounts = new Map<string, number>();
    for (const [word, count] of words) for (const char of word) charCounts.set(char, (charCounts.get(char) ?? 0) + count);
    let pieces = this.seeds(words, charCounts);
    const desired = Math.floor(this.vocabSize * 1.1);
    for (;;) {
      for (let iteration = 0; iteration < this.nSubIterations; iteration++) pieces = maximize(pieces, expectedCounts(pieces, words));
      if (pieces.length <= desired) break;
      const pruned = this.prune(pieces, words, charCounts, desired);
      if (pruned.length === pieces.length) break;
      pieces = pruned;
    }
    return this.finalize(pieces, charCounts);
  }

  /** Every character, then the most frequent valid substrings by frequency × length. */
  private seeds(words: ReadonlyArray<[string, number]>, charCounts: ReadonlyMap<string, number>): Piece[] {
    const counts = new Map<string, number>();
    for (const [word, count] of words) {
      const chars = Array.from(word);
      for (let start = 0; start < chars.length; start++) {
        let piece = '';
        for (let end = start; end < chars.length && end - start < this.maxPieceLength; end++) {
          if (end > start && chars[end] === SPACE) break; // "▁" only at the start of a piece
          piece += chars[end]!;
          if (end > start) counts.set(piece, (counts.get(piece) ?? 0) + count);
        }
      }
    }
    const substrings = [...counts]
      .filter(([, count]) => count > 1)
      .map(([piece, count]): [string, number] => [piece, count * Array.from(piece).length])
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, Math.max(0, this.seedSize - charCounts.size));
    const seeds: Array<[string, number]> = [...charCounts, ...substrings];
    const total = seeds.reduce((sum, [, count]) => sum + count, 0);
    return seeds.map(([piece, count]) => ({ piece, score: Math.log(count) - Math.log(total) }));
  }

  /** sentencepiece `PruneSentencePieces`: keep the pieces whose removal loses the most likelihood. */
  private prune(pieces: Piece[], words: ReadonlyArray<[string, number]>, charCounts: ReadonlyMap<string, number>, desired: number): Piece[] {
    const model = latticeModel(pieces);
    const alwaysKeep = new Uint8Array(pieces.length).fill(1);
    const alternatives: number[][] = pieces.map(() => []);
    pieces.forEach(({ piece }, id) => {
      if (charCounts.has(piece)) return; // characters are never removed
      const best = model.viterbi(piece, -1);
      if (best.length !== 1 || best[0] !== id) alwaysKeep[id] = 0; // not even its own best segmentation
      else alternatives[id] = model.viterbi(piece, id);
    });
    const freq = new Float64Array(pieces.length);
    const inverted: number[][] = pieces.map(() => []);
    let totalWords = 0;
    words.forEach(([word, count], index) => {
      totalWords += count;
      for (const id of model.viterbi(word, -1)) {
        if (id < 0) continue;
        freq[id] = freq[id]! + count;
        inverted[id]!.push(index);
      }
    });
    const sum = freq.reduce((total, value) => total + value, 0);
    const logSum = Math.log(sum);
    const kept: number[] = [];
    const candidates: Array<[number, number]> = [];
    pieces.forEach((_, id) => {
      if (freq[id] === 0 || !alwaysKeep[id]) return;
      if (alternatives[id]!.length === 0) {
        kept.push(id);
        return;
      }
      let share = 0;
      for (const index of inverted[id]!) share += words[index]![1];
      share /= totalWords;
      const logProbability = Math.log(freq[id]!) - logSum;
      const logSumAlternative = Math.log(sum + freq[id]! * (alternatives[id]!.length - 1));
      let logProbabilityAlternative = 0;
      for (const alternative of alternatives[id]!) logProbabilityAlternative += Math.log(freq[alternative]! + freq[id]!) - logSumAlternative;
      candidates.push([id, share * (logProbability - logProbabilityAlternative)]);
    });
    const target = Math.max(desired, Math.floor(this.shrinkingFactor * pieces.length));
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [id] of candidates) {
      if (kept.length >= target) break;
      kept.push(id);
    }
    kept.sort((a, b) => a - b);
    return kept.map((id) => pieces[id]!);
  }

  /** Special tokens, every character, then the best-scored pieces, sorted by score. */
  private finalize(pieces: Piece[], charCounts: ReadonlyMap<string, number>): Unigram {
    const room = this.vocabSize - this.specialTokens.length;
    const chosen = new Map<string, number>();
    const minScore = pieces.reduce((min, { score }) => Math.min(min, score), 0);
    const scores = new Map(pieces.map(({ piece, score }) => [piece, score]));
    let penalty = 0;
    for (const [char] of [...charCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      const score = scores.get(char);
      chosen.set(char, score ?? minScore + penalty);
      if (score === undefined) penalty -= 0.0001;
    }
    for (const { piece, score } of [...pieces].sort((a, b) => b.score - a.score || (a.piece < b.piece ? -1 : 1))) {
      if (chosen.size >= room) break;
      if (!chosen.has(piece) && !this.specialTokens.includes(piece)) chosen.set(piece, score);
    }
    const sorted = [...chosen].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const vocab: Array<[string, number]> = [...this.specialTokens.map((token): [string, number] => [token, 0]), ...sorted];
    return new Unigram({ vocab, unkId: this.specialTokens.indexOf(this.unkToken) });
  }
}

interface Piece {
  piece: string;
  score: number;
}

/** E-step: expected count of every piece over all words (forward-backward on each word's lattice). */
function expectedCounts(pieces: Piece[], words: ReadonlyArray<[string, number]>): Float64Array {
  const model = latticeModel(pieces);
  const expected = new Float64Array(pieces.length);
  for (const [word, count] of words) model.marginals(word, count, expected);
  return expected;
}

/** M-step (sentencepiece `RunMStep`): drop pieces expected under 0.5 times; score = digamma(freq) - digamma(total). */
function maximize(pieces: Piece[], expected: Float64Array): Piece[] {
  const kept: Array<[string, number]> = [];
  let sum = 0;
  pieces.forEach(({ piece }, id) => {
    if (expected[id]! < 0.5 && Array.from(piece).length > 1) return;
    const frequency = Math.max(expected[id]!, 1e-6);
    kept.push([piece, frequency]);
    sum += frequency;
  });
  const logSum = digamma(sum);
  return kept.map(([piece, frequency]) => ({ piece, score: digamma(frequency) - logSum }));
}

/** sentencepiece's digamma approximation. */
export function digamma(value: number): number {
  let x = value;
  let result = 0;
  for (; x < 7; x++) result -= 1 / x;
  x -= 1 / 2;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  return result + Math.log(x) + (1 / 24) * xx2 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
}

/** Lattice helpers over a piece list: a trie, Viterbi (optionally without one piece) and marginals. */
function latticeModel(pieces: Piece[]) {
  const children = new Map<string, number>();
  const nodePiece: number[] = [-1];
  pieces.forEach(({ piece }, id) => {
    let node = 0;
    for (const char of piece) {
      const key = `${node} ${char}`;
      let child = children.get(key);
      if (child === undefined) {
        child = nodePiece.length;
        nodePiece.push(-1);
        children.set(key, child);
      }
      node = child;
    }
    nodePiece[node] = id;
  });
  const unkScore = pieces.reduce((min, { score }) => Math.min(min, score), 0) - 10;
  /** Edges [start, end, id, score] over the characters of `word`; chars no piece covers get id -1. */
  const edges = (chars: string[], skip: number): Array<[number, number, number, number]> => {
    const out: Array<[number, number, number, number]> = [];
    for (let start = 0; start < chars.length; start++) {
      let node = 0;
      let single = false;
      for (let end = start; end < chars.length; end++) {
        const child = children.get(`${node} ${chars[end]}`);
        if (child === undefined) break;
        node = child;
        const id = nodePiece[node]!;
        if (id >= 0 && id !== skip) {
          out.push([start, end + 1, id, pieces[id]!.score]);
          if (end === start) single = true;
        }
      }
      if (!single) out.push([start, start + 1, -1, unkScore]);
    }
    return out;
  };
  return {
    viterbi(word: string, skip: number): number[] {
      const chars = Array.from(word);
      const best = new Float64Array(chars.length + 1).fill(-Infinity);
      const back: Array<[number, number]> = new Array(chars.length + 1);
      best[0] = 0;
      for (const [start, end, id, score] of edges(chars, skip)) {
        if (best[start]! + score > best[end]!) {
          best[end] = best[start]! + score;
          back[end] = [start, id];
        }
      }
      const path: number[] = [];
      for (let end = chars.length; end > 0; end = back[end]![0]) path.push(back[end]![1]);
      return path.reverse();
    },
    marginals(word: string, count: number, expected: Float64Array): void {
      const chars = Array.from(word);
      const all = edges(chars, -1);
      const alpha = new Float64Array(chars.length + 1).fill(-Infinity);
      const beta = new Float64Array(chars.length + 1).fill(-Infinity);
      alpha[0] = 0;
      beta[chars.length] = 0;
      for (const [start, end, , score] of all) alpha[end] = logAdd(alpha[end]!, alpha[start]! + score);
      for (let index = all.length - 1; index >= 0; index--) {
        const [start, end, , score] = all[index]!;
        beta[start] = logAdd(beta[start]!, beta[end]! + score);
      }
      const total = alpha[chars.length]!;
      for (const [start, end, id, score] of all) if (id >= 0) expected[id] = expected[id]! + count * Math.exp(alpha[start]! + score + beta[end]! - total);
    },
  };
}

function logAdd(left: number, right: number): number {
  if (left === -Infinity) return right;
  if (right === -Infinity) return left;
  return left > right ? left + Math.log1p(Math.exp(right - left)) : right + Math.log1p(Math.exp(left - right));
}
