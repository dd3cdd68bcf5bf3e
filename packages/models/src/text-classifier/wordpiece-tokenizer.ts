import { BertNormalizer, BertPreTokenizer, BertProcessing, Tokenizer, WordPieceDecoder, WordPieceTrainer } from '@heed/tokenizers';

/** Options of {@link trainWordPieceTokenizer}. */
export interface TrainWordPieceOptions {
  /** Vocabulary size, special tokens included. Default 8000. */
  vocabSize?: number;
  /** Pairs seen fewer times are never merged. Default 2. */
  minFrequency?: number;
}

/**
 * A BERT-style uncased WordPiece tokenizer learned from training texts with @heed/tokenizers:
 * BERT normalizer (lowercase, strip accents), BERT pre-tokenizer, WordPiece with `##`
 * continuations, `[CLS] … [SEP]` post-processing. Special tokens `[PAD]` 0, `[UNK]` 1, `[CLS]` 2,
 * `[SEP]` 3, `[MASK]` 4. Deterministic: the same texts give the same ids.
 *
 * @example
 * ```ts
 * const tokenizer = trainWordPieceTokenizer(train.map((example) => example.text), { vocabSize: 4000 });
 * tokenizer.encode('Great phone!').tokens; // ['[CLS]', 'great', 'phone', '!', '[SEP]']
 * ```
 */
export function trainWordPieceTokenizer(texts: Iterable<string>, options: TrainWordPieceOptions = {}): Tokenizer {
  const normalizer = new BertNormalizer({ lowercase: true, stripAccents: true, cleanText: true, handleChineseChars: true });
  const preTokenizer = new BertPreTokenizer();
  const model = new WordPieceTrainer({ vocabSize: options.vocabSize ?? 8000, minFrequency: options.minFrequency ?? 2 }).train(texts, { normalizer, preTokenizer });
  const cls = model.tokenToId('[CLS]');
  const sep = model.tokenToId('[SEP]');
  if (cls === undefined || sep === undefined) throw new Error('trainWordPieceTokenizer: the trained vocabulary lacks [CLS]/[SEP]');
  return new Tokenizer({
    model,
    normalizer,
    preTokenizer,
    postProcessor: new BertProcessing({ cls: ['[CLS]', cls], sep: ['[SEP]', sep] }),
    decoder: new WordPieceDecoder({ prefix: '##', cleanup: true }),
  });
}
