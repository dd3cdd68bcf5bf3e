import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { realSentences } from '../__fixtures__/pretrained';
import { bytesToUnicode } from '../bytes-to-unicode';
import { ByteLevelDecoder } from '../decoders/byte-level-decoder';
import { ByteLevel } from '../pre-tokenizers/byte-level';
import { Whitespace } from '../pre-tokenizers/whitespace';
import { Tokenizer } from '../tokenizer';
import { BpeTrainer } from './bpe-trainer';

const sentences = realSentences(4000);
const training = sentences.slice(0, 2000);
const heldOut = sentences.slice(2000);

function trainByteLevel(texts: string[]): Tokenizer {
  const preTokenizer = new ByteLevel();
  const trainer = new BpeTrainer({ vocabSize: 600, minFrequency: 2, specialTokens: ['<|endoftext|>'], initialAlphabet: bytesToUnicode() });
  return new Tokenizer({
    model: trainer.train(texts, { preTokenizer }),
    preTokenizer,
    decoder: new ByteLevelDecoder(),
    addedTokens: [{ id: 0, content: '<|endoftext|>', special: true }],
  });
}

describe('BpeTrainer', () => {
  const tokenizer = trainByteLevel(training);

  it('learns exactly vocabSize tokens: specials, the 256 bytes, then merges', () => {
    const vocab = tokenizer.model.getVocab();
    expect(vocab.size).toBe(600);
    expect(vocab.get('<|endoftext|>')).toBe(0);
    for (const char of bytesToUnicode()) expect(vocab.has(char)).toBe(true);
    expect((tokenizer.model.toJSON().merges as unknown[]).length).toBe(600 - 1 - 256);
  });

  it('compresses held-out text and decodes it losslessly', () => {
    let bytes = 0;
    let tokens = 0;
    for (const text of heldOut) {
      const { ids } = tokenizer.encode(text);
      bytes += new TextEncoder().encode(text).length;
      tokens += ids.length;
      expect(tokenizer.decode(ids)).toBe(text);
    }
    expect(bytes / tokens).toBeGreaterThan(2); // 1 byte per token without merges
  });

  it('is deterministic: the same corpus in any order gives the same vocabulary and merges', () => {
    expect(trainByteLevel([...training].reverse()).toJSON()).toEqual(tokenizer.toJSON());
  });

  it('writes a tokenizer.json that @huggingface/tokenizers encodes identically', () => {
    const json = JSON.parse(JSON.stringify(tokenizer.toJSON())) as Record<string, unknown>;
    const reference = new ReferenceTokenizer(json, { clean_up_tokenization_spaces: false });
    for (const text of heldOut.slice(0, 1000)) expect(tokenizer.encode(text).ids).toEqual(reference.encode(text).ids);
  });

  it('merges nothing below minFrequency, and supports an end-of-word suffix', () => {
    const none = new BpeTrainer({ vocabSize: 100, minFrequency: 3 }).train(['ab ab', 'cd'], { preTokenizer: new Whitespace() });
    expect(none.toJSON().merges).toEqual([]);
    const suffixed = new BpeTrainer({ vocabSize: 100, minFrequency: 1, endOfWordSuffix: '</w>' }).train(['low low lowest'], { preTokenizer: new Whitespace() });
    expect(suffixed.tokenize('low').map((token) => token.value)).toEqual(['low</w>']);
  });

  it('rejects bad options', () => {
    expect(() => new BpeTrainer({ vocabSize: 0 })).toThrow(/vocabSize: expected a positive integer, got 0/);
    expect(() => new BpeTrainer({ vocabSize: 10, unkToken: '<unk>' })).toThrow(/unkToken: expected one of specialTokens/);
  });
});
