import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { bertBaseUncasedJSON, realSentences } from '../__fixtures__/pretrained';
import { WordPieceDecoder } from '../decoders/word-piece-decoder';
import { BertNormalizer } from '../normalizers/bert-normalizer';
import { BertPreTokenizer } from '../pre-tokenizers/bert-pre-tokenizer';
import { postProcessorFromJSON } from '../processors/post-processor-from-json';
import { Tokenizer } from '../tokenizer';
import { WordPieceTrainer } from './word-piece-trainer';

const sentences = realSentences(4000);
const training = sentences.slice(0, 2000);
const heldOut = sentences.slice(2000);
const pipeline = { normalizer: new BertNormalizer(), preTokenizer: new BertPreTokenizer() };

function train(texts: string[]): Tokenizer {
  const model = new WordPieceTrainer({ vocabSize: 1500 }).train(texts, pipeline);
  const bertTemplate = bertBaseUncasedJSON().post_processor as { special_tokens: Record<string, { ids: number[] }> };
  bertTemplate.special_tokens['[CLS]']!.ids = [model.tokenToId('[CLS]')!];
  bertTemplate.special_tokens['[SEP]']!.ids = [model.tokenToId('[SEP]')!];
  return new Tokenizer({
    model,
    ...pipeline,
    postProcessor: postProcessorFromJSON(bertTemplate),
    decoder: new WordPieceDecoder(),
    addedTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((content) => ({ id: model.tokenToId(content)!, content, special: true, normalized: false })),
  });
}

describe('WordPieceTrainer', () => {
  const tokenizer = train(training);

  it('learns a WordPiece vocabulary of vocabSize with ## continuation pieces', () => {
    const vocab = tokenizer.model.getVocab();
    expect(vocab.size).toBe(1500);
    expect([...vocab.keys()].slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect([...vocab.keys()].some((token) => token.startsWith('##'))).toBe(true);
    expect(tokenizer.encode('the', { addSpecialTokens: false }).tokens).toEqual(['the']);
  });

  it('splits held-out words into known pieces, rarely [UNK]', () => {
    let unknown = 0;
    let total = 0;
    for (const text of heldOut) {
      const { tokens } = tokenizer.encode(text, { addSpecialTokens: false });
      total += tokens.length;
      unknown += tokens.filter((token) => token === '[UNK]').length;
    }
    expect(unknown / total).toBeLessThan(0.01);
  });

  it('is deterministic: the same corpus in any order gives the same vocabulary', () => {
    expect(train([...training].reverse()).toJSON()).toEqual(tokenizer.toJSON());
  });

  it('writes a tokenizer.json that @huggingface/tokenizers encodes identically', () => {
    const json = JSON.parse(JSON.stringify(tokenizer.toJSON())) as Record<string, unknown>;
    const reference = new ReferenceTokenizer(json, { clean_up_tokenization_spaces: false });
    for (const text of heldOut.slice(0, 1000)) expect(tokenizer.encode(text).ids).toEqual(reference.encode(text).ids);
  });
});
