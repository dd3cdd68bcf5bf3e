import { WordPiece } from '../models/word-piece';
import { BpeTrainer } from './bpe-trainer';
import { countWords, type WordPipeline } from './word-counts';

/**
 * Options of {@link WordPieceTrainer}.
 *
 * @example
 * ```ts
 * new WordPieceTrainer({ vocabSize: 8000, minFrequency: 2 });
 * ```
 */
export interface WordPieceTrainerOptions {
  /** Final vocabulary size, special tokens included. */
  vocabSize: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
  /** Tokens placed first in the vocabulary. Default ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']. */
  specialTokens?: string[];
  /** Unknown token (must be among `specialTokens`). Default '[UNK]'. */
  unkToken?: string;
  /** Prefix of pieces that continue a word. Default '##'. */
  continuingSubwordPrefix?: string;
}

/**
 * Learns a WordPiece vocabulary the way Hugging Face's `WordPieceTrainer` does: BPE merges over
 * words whose non-initial characters carry the `##` prefix, the resulting vocabulary used
 * greedily longest-match-first. Deterministic.
 *
 * @example
 * ```ts
 * const trainer = new WordPieceTrainer({ vocabSize: 200 });
 * const model = trainer.train(corpus, { normalizer: new BertNormalizer(), preTokenizer: new BertPreTokenizer() });
 * ```
 */
export class WordPieceTrainer {
  readonly specialTokens: string[];
  readonly unkToken: string;
  readonly continuingSubwordPrefix: string;
  private readonly bpe: BpeTrainer;

  constructor(options: WordPieceTrainerOptions) {
    this.specialTokens = options.specialTokens ?? ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
    this.unkToken = options.unkToken ?? '[UNK]';
    this.continuingSubwordPrefix = options.continuingSubwordPrefix ?? '##';
    this.bpe = new BpeTrainer({
      vocabSize: options.vocabSize,
      minFrequency: options.minFrequency ?? 2,
      specialTokens: this.specialTokens,
      continuingSubwordPrefix: this.continuingSubwordPrefix,
      unkToken: this.unkToken,
    });
  }

  /** Trains on texts passed through `pipeline` (normalizer and pre-tokenizer). */
  train(texts: Iterable<string>, pipeline: WordPipeline = {}): WordPiece {
    const bpe = this.bpe.trainOnCounts(countWords(texts, pipeline));
    return new WordPiece({
      vocab: bpe.getVocab(),
      unkToken: this.unkToken,
      continuingSubwordPrefix: this.continuingSubwordPrefix,
    });
  }
}
