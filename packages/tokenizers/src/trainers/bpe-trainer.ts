import { BPE } from '../models/bpe';
import { byCountThenText, countWords, type WordPipeline } from './word-counts';

/**
 * Options of {@link BpeTrainer}.
 *
 * @example
 * ```ts
 * new BpeTrainer({ vocabSize: 8000, minFrequency: 2, specialTokens: ['<unk>'], unkToken: '<unk>' });
 * ```
 */
export interface BpeTrainerOptions {
  /**
   * Final vocabulary size, special tokens included. The special tokens and the alphabet are always
   * kept, so a corpus with more distinct characters than this gets a larger vocabulary (as in
   * Hugging Face's trainer); merging stops early when no pair reaches `minFrequency`.
   */
  vocabSize: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
  /** Tokens placed first in the vocabulary, in this order. Default []. */
  specialTokens?: string[];
  /** Characters always in the vocabulary (e.g. the 256 byte characters for byte-level BPE). Default []. */
  initialAlphabet?: string[];
  /** Prefix of symbols that continue a word ('##' for WordPiece). Default null. */
  continuingSubwordPrefix?: string | null;
  /** Suffix of the symbol that ends a word (e.g. '</w>'). Default null. */
  endOfWordSuffix?: string | null;
  /** Unknown token of the trained model (must be among `specialTokens`). Default null. */
  unkToken?: string | null;
}

const PAIR_BASE = 2 ** 21;

/**
 * Learns a BPE vocabulary and merge list from texts (Sennrich et al. 2016): start from the
 * characters of every word and repeatedly merge the most frequent adjacent pair. Ties go to the
 * pair whose tokens sort first, so the result depends only on the word counts: the same corpus,
 * in any order, gives the same model.
 *
 * @example
 * ```ts
 * const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<unk>'] });
 * const model = trainer.train(['low lower lowest', 'new newer'], { preTokenizer: new Whitespace() });
 * model.tokenize('lowest').map((token) => token.value);
 * ```
 */
export class BpeTrainer {
  readonly vocabSize: number;
  readonly minFrequency: number;
  readonly specialTokens: string[];
  readonly initialAlphabet: string[];
  readonly continuingSubwordPrefix: string | null;
  readonly endOfWordSuffix: string | null;
  readonly unkToken: string | null;

  constructor(options: BpeTrainerOptions) {
    if (!Number.isInteger(options.vocabSize) || options.vocabSize <= 0) {
      throw new RangeError(`vocabSize: expected a positive integer, got ${String(options.vocabSize)}`);
    }
    this.vocabSize = options.vocabSize;
    this.minFrequency = options.minFrequency ?? 2;
    this.specialTokens = options.specialTokens ?? [];
    this.initialAlphabet = options.initialAlphabet ?? [];
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? null;
    this.endOfWordSuffix = options.endOfWordSuffix ?? null;
    this.unkToken = options.unkToken ?? null;
    if (this.unkToken !== null && !this.specialTokens.includes(this.unkToken)) {
      throw new RangeError(`unkToken: expected one of specialTokens [${this.specialTokens.join(', ')}], got ${JSON.stringify(this.unkToken)}`);
    }
  }

  /** Trains on texts passed through `pipeline` (normalizer and pre-tokenizer). */
  train(texts: Iterable<string>, pipeline: WordPipeline = {}): BPE {
    return this.trainOnCounts(countWords(texts, pipeline));
  }

  /** Trains on precomputed word counts. */
  trainOnCounts(wordCounts: ReadonlyMap<string, number>): BPE {
    const tokens: string[] = [];
    const ids = new Map<string, number>();
    const add = (token: string): number => {
      let id = ids.get(token);
      if (id === undefined) {
        id = tokens.push(token) - 1;
        ids.set(token, id);
      }
      return id;
    };
    for (const token of this.specialTokens) add(token);
    // Alphabet: every symbol words start from, most frequent first.
    const words = [...wordCounts].sort(byCountThenText);
    const symbolCounts = new Map<string, number>();
    const wordSymbols = words.map(([word, count]) => {
      const chars = Array.from(word);
      return chars.map((char, index) => {
        let symbol = index > 0 && this.continuingSubwordPrefix !== null ? this.continuingSubwordPrefix + char : char;
        if (index === chars.length - 1 && this.endOfWordSuffix !== null) symbol += this.endOfWordSuffix;
        symbolCounts.set(symbol, (symbolCounts.get(symbol) ?? 0) + count);
        return symbol;
      });
    });
    for (const char of [...this.initialAlphabet].sort()) add(char);
    for (const [symbol] of [...symbolCounts].sort(byCountThenText)) add(symbol);
    const wordIds = wordSymbols.map((symbols) => symbols.map((symbol) => ids.get(symbol)!));
    const counts = words.map(([, count]) => count);
    const merges: Array<[string, string]> = [];
    const prefixLength = this.continuingSubwordPrefix?.length ?? 0;

    // Pair statistics: count, and which words contain the pair.
    const pairCounts = new Map<number, number>();
    const pairWords = new Map<number, Set<number>>();
    const countPairs = (wordIndex: number, sign: 1 | -1): void => {
      const symbols = wordIds[wordIndex]!;
      for (let index = 0; index + 1 < symbols.length; index++) {
        const key = symbols[index]! * PAIR_BASE + symbols[index + 1]!;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * counts[wordIndex]!);
        if (sign > 0) {
          let where = pairWords.get(key);
          if (where === undefined) pairWords.set(key, (where = new Set()));
          where.add(wordIndex);
        }
      }
    };
    wordIds.forEach((_, wordIndex) => countPairs(wordIndex, 1));

    while (tokens.length < this.vocabSize) {
      let bestKey = -1;
      let bestCount = 0;
      for (const [key, count] of pairCounts) {
        if (count < this.minFrequency || count < bestCount) continue;
        if (count > bestCount || this.pairBefore(tokens, key, bestKey)) {
          bestKey = key;
          bestCount = count;
        }
      }
      if (bestKey < 0) break;
      const left = tokens[Math.floor(bestKey / PAIR_BASE)]!;
      const right = tokens[bestKey % PAIR_BASE]!;
      const leftId = Math.floor(bestKey / PAIR_BASE);
      const rightId = bestKey % PAIR_BASE;
      const mergedId = add(left + right.slice(prefixLength));
      merges.push([left, right]);
      for (const wordIndex of [...(pairWords.get(bestKey) ?? [])].sort((first, second) => first - second)) {
        countPairs(wordIndex, -1);
        const symbols = wordIds[wordIndex]!;
        const merged: number[] = [];
        for (let index = 0; index < symbols.length; index++) {
          if (index + 1 < symbols.length && symbols[index] === leftId && symbols[index + 1] === rightId) {
            merged.push(mergedId);
            index++;
          } else merged.push(symbols[index]!);
        }
        wordIds[wordIndex] = merged;
        countPairs(wordIndex, 1);
      }
      pairCounts.delete(bestKey);
      pairWords.delete(bestKey);
    }
    return new BPE({
      vocab: ids,
      merges,
      unkToken: this.unkToken,
      continuingSubwordPrefix: this.continuingSubwordPrefix,
      endOfWordSuffix: this.endOfWordSuffix,
    });
  }

  private pairBefore(tokens: readonly string[], key: number, other: number): boolean {
    if (other < 0) return true;
    const text = tokens[Math.floor(key / PAIR_BASE)]! + '\u0000' + tokens[key % PAIR_BASE]!;
    const otherText = tokens[Math.floor(other / PAIR_BASE)]! + '\u0000' + tokens[other % PAIR_BASE]!;
    return text < otherText;
  }
}
