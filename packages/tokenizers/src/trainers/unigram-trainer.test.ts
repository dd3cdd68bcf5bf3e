import { readFileSync } from 'node:fs';
import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { realSentences } from '../__fixtures__/pretrained';
import { MetaspaceDecoder } from '../decoders/metaspace-decoder';
import { Metaspace } from '../pre-tokenizers/metaspace';
import { sentencePieceToTokenizerJSON } from '../sentencepiece/sentencepiece-to-json';
import { Tokenizer } from '../tokenizer';
import { digamma, UnigramTrainer } from './unigram-trainer';

const sentences = realSentences(6000);
const training = sentences.slice(0, 3000);
const heldOut = sentences.slice(4000, 5000);
const preTokenizer = new Metaspace();

describe('UnigramTrainer', () => {
  const trainer = new UnigramTrainer({ vocabSize: 2000, specialTokens: ['<unk>', '<s>', '</s>'], unkToken: '<unk>' });
  const model = trainer.train(training, { preTokenizer });
  const tokenizer = new Tokenizer({ model, preTokenizer, decoder: new MetaspaceDecoder() });

  it('learns vocabSize pieces: the special tokens, every character, then pieces by score', () => {
    const vocab = model.getVocab();
    expect(vocab.size).toBe(2000);
    expect([vocab.get('<unk>'), vocab.get('<s>'), vocab.get('</s>')]).toEqual([0, 1, 2]);
    for (const text of training) for (const char of text.replaceAll(' ', '▁')) expect(vocab.has(char), char).toBe(true);
    const scores = Array.from(model.scores.slice(3));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const piece of model.pieces) expect(piece.indexOf('▁', 1)).toBe(-1);
  });

  it('segments held-out text about as compactly as sentencepiece at the same vocabulary size', () => {
    // sentencepiece 0.1.97's unigram model of the fixtures: 2000 pieces, trained on more text that
    // includes these nlp-corpus sentences (so the comparison favours sentencepiece)
    const spm = Tokenizer.fromJSON(sentencePieceToTokenizerJSON(new Uint8Array(readFileSync(new URL('../__fixtures__/sentencepiece/unigram-nmt-nfkc.model', import.meta.url)))));
    const count = (tokenize: (text: string) => number) => heldOut.reduce((sum, text) => sum + tokenize(text), 0);
    const ours = count((text) => tokenizer.encode(text).ids.length);
    const theirs = count((text) => spm.encode(text, { addSpecialTokens: false }).ids.length);
    expect(ours / theirs).toBeLessThan(1.1);
    expect(ours / theirs).toBeGreaterThan(0.8);
  });

  it('its tokenizer.json loads in @huggingface/tokenizers with the same ids, and decodes back', () => {
    const json = JSON.parse(JSON.stringify(tokenizer.toJSON())) as Record<string, unknown>;
    const reference = new ReferenceTokenizer(json as never, {});
    for (const text of heldOut.slice(0, 300)) {
      const ours = tokenizer.encode(text).ids;
      const theirs = reference.encode(text).ids;
      // the reference scores lattices in float64 (heed in float32, as sentencepiece): ties may differ
      const total = (ids: number[]) => ids.reduce((sum, id) => sum + model.scores[id]!, 0);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) expect(Math.abs(total(ours) - total(theirs)), text).toBeLessThan(1e-4);
      const { ids } = tokenizer.encode(text);
      if (!ids.includes(0) && !/ {2}/.test(text)) expect(tokenizer.decode(ids)).toBe(text);
    }
  });

  it('is deterministic: the same sentences in another order give the same model', () => {
    const again = new UnigramTrainer({ vocabSize: 300 }).train([...training.slice(0, 500)].reverse(), { preTokenizer });
    expect(again.toJSON()).toEqual(new UnigramTrainer({ vocabSize: 300 }).train(training.slice(0, 500), { preTokenizer }).toJSON());
  });

  it('digamma matches its recurrence and asymptotics', () => {
    for (const x of [0.5, 1, 2.5, 10, 100]) expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 6);
    expect(digamma(1)).toBeCloseTo(-0.5772156649, 6); // minus the Euler–Mascheroni constant
  });

  it('rejects bad options', () => {
    expect(() => new UnigramTrainer({ vocabSize: 0 })).toThrow('vocabSize: expected a positive integer, got 0');
    expect(() => new UnigramTrainer({ vocabSize: 10, unkToken: '<x>' })).toThrow('unkToken: expected one of specialTokens [<unk>], got "<x>"');
    expect(() => new UnigramTrainer({ vocabSize: 10, shrinkingFactor: 1 })).toThrow('shrinkingFactor: expected a number in (0, 1), got 1');
  });
});
