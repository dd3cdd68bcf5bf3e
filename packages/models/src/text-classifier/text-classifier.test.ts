import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { TextClassifier } from './text-classifier';
import type { TextClassifierConfig } from './text-classifier-config';
import { trainWordPieceTokenizer } from './wordpiece-tokenizer';

const POSITIVE = ['good', 'great', 'fine', 'lovely', 'excellent', 'nice'];
const NEGATIVE = ['bad', 'awful', 'poor', 'terrible', 'broken', 'ugly'];
const FILLER = ['the', 'phone', 'is', 'food', 'was', 'movie', 'really', 'very'];

/** Toy sentences: filler words plus one or two sentiment words; label 1 = positive. */
function toyTexts(count: number, seed: number): { text: string; label: number }[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, (_, index) => {
    const label = index % 2;
    const words = label ? POSITIVE : NEGATIVE;
    const parts = Array.from({ length: 2 + Math.floor(next() * 4) }, () => FILLER[Math.floor(next() * FILLER.length)]!);
    parts.splice(Math.floor(next() * parts.length), 0, words[Math.floor(next() * words.length)]!);
    return { text: parts.join(' '), label };
  });
}

const corpus = toyTexts(200, 1);
const tokenizer = trainWordPieceTokenizer(corpus.map((example) => example.text), { vocabSize: 100, minFrequency: 1 });
const base = (kind: TextClassifierConfig['kind']): TextClassifierConfig => ({ kind, vocabSize: tokenizer.vocabSize, maxLength: 12, numClasses: 2, labels: ['negative', 'positive'], embeddingDim: 16, hiddenDim: 8, attentionUnits: 8, depth: 1, heads: 2, mlpDim: 16, dropout: 0 });

/** An in-memory tf.io handler pair. */
function memoryStore(): { save: tf.io.IOHandler; load: () => tf.io.IOHandler } {
  let saved: tf.io.ModelArtifacts | undefined;
  return {
    save: tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    load: () => tf.io.fromMemory(saved!),
  };
}

await describeBackends(TEST_BACKENDS, (backend) => {
  it('encodes texts as [CLS] … [SEP] ids padded with [PAD] 0, truncating long ones', () => {
    const classifier = new TextClassifier(base('transformer'), tokenizer);
    const { ids, truncated } = classifier.encodeIds(['good phone', Array(20).fill('the').join(' ')]);
    expect(Array.from(ids.slice(0, 12))).toEqual([2, ...tokenizer.encode('good phone', { addSpecialTokens: false }).ids, 3, ...Array(8).fill(0)]);
    expect(ids[12]).toBe(2);
    expect(ids[23]).toBe(3); // [SEP] kept at the cut
    expect(truncated).toEqual([false, true]);
    classifier.dispose();
  });

  it("truncation 'middle' keeps [CLS], the first headTokens and the last tokens, and [SEP]; explain reports the same tokens", async () => {
    const classifier = new TextClassifier({ ...base('bilstm-attention'), truncation: 'middle', headTokens: 3 }, tokenizer);
    const words = ['good', 'phone', 'was', 'the', 'the', 'the', 'the', 'the', 'the', 'the', 'the', 'really', 'very', 'bad', 'food', 'movie', 'is', 'fine'];
    const text = words.join(' ');
    const textIds = tokenizer.encode(text, { addSpecialTokens: false }).ids; // one id per word: all are whole vocabulary words
    expect(textIds.length).toBe(words.length);
    const { ids, truncated } = classifier.encodeIds([text]);
    expect(truncated).toEqual([true]);
    expect(Array.from(ids)).toEqual([2, ...textIds.slice(0, 3), ...textIds.slice(words.length - 7), 3]);
    const why = await classifier.explain(text);
    expect(why.tokens).toEqual(['[CLS]', 'good', 'phone', 'was', 'really', 'very', 'bad', 'food', 'movie', 'is', 'fine', '[SEP]']);
    expect(text.slice(...why.offsets[4]!)).toBe('really');
    expect(why.truncated).toBe(true);
    expect(() => new TextClassifier({ ...base('transformer'), truncation: 'middle', headTokens: 11 }, tokenizer)).toThrow(/headTokens must be an integer in \[0, maxLength − 2 = 10\]; got 11/);
    expect(() => new TextClassifier({ ...base('transformer'), truncation: 'start' as 'end' }, tokenizer)).toThrow(/truncation must be 'end' or 'middle'; got "start"/);
    classifier.dispose();
  });

  for (const kind of ['bilstm-attention', 'transformer'] as const) {
    it(`${kind}: logits (batch, classes), explanations per token summing to 1, no leaks`, async () => {
      const classifier = new TextClassifier(base(kind), tokenizer);
      const ids = classifier.encode(['good phone', 'bad food was', 'the movie']);
      const logits = classifier.model.predict(ids) as tf.Tensor;
      expect(logits.shape).toEqual([3, 2]);
      const explanation = await expectNoLeaks(() => classifier.explain('the food was good'), 'explain');
      expect(explanation.tokens).toEqual(['[CLS]', 'the', 'food', 'was', 'good', '[SEP]']);
      expect(explanation.weights).toHaveLength(6);
      expect(explanation.weights.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
      expect(explanation.heads).toHaveLength(kind === 'transformer' ? 1 : 0);
      if (kind === 'transformer') {
        expect(explanation.heads[0]).toHaveLength(2);
        // [CLS]'s attention over the 6 real tokens sums to 1: the 6 padding positions got exactly 0.
        for (const head of explanation.heads[0]!) expect(head.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
      }
      expect(explanation.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
      await expectNoLeaks(() => classifier.predictProbabilities(['good', 'bad']), 'predictProbabilities');
      await expect(classifier.predictProbabilities(['good'], 0)).rejects.toThrow('TextClassifier.predictProbabilities: batchSize must be a positive integer; got 0');
      tf.dispose([ids, logits]);
      classifier.dispose();
    });

    it(`${kind}: saves and loads (weights, config, tokenizer) with identical outputs`, async () => {
      const classifier = new TextClassifier(base(kind), tokenizer);
      const store = memoryStore();
      await classifier.save(store.save);
      const loaded = await TextClassifier.load(store.load());
      expect(loaded.getConfig()).toEqual(classifier.getConfig());
      const texts = ['good phone', 'awful food'];
      expect(await loaded.predictProbabilities(texts)).toEqual(await classifier.predictProbabilities(texts));
      expect(loaded.tokenizer.encode('lovely movie').ids).toEqual(tokenizer.encode('lovely movie').ids);
      classifier.dispose();
      loaded.dispose();
    });

    // Training runs on wasm only: tfjs' cpu backend takes ~40 s for the BiLSTM's 25 steps (the ops are the same).
    it.skipIf(backend !== 'wasm')(`${kind}: learns toy sentiment well above chance in a few seconds`, async () => {
      const classifier = new TextClassifier(base(kind), tokenizer);
      const train = toyTexts(64, 2);
      const test = toyTexts(40, 3);
      const x = classifier.encode(train.map((example) => example.text));
      const y = tf.oneHot(tf.tensor1d(train.map((example) => example.label), 'int32'), 2);
      const optimizer = tf.train.adam(kind === 'transformer' ? 3e-3 : 1e-2);
      for (let step = 0; step < (kind === 'transformer' ? 40 : 25); step++) optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, classifier.model.apply(x, { training: true }) as tf.Tensor), false);
      const predicted = await classifier.classify(test.map((example) => example.text));
      expect(predicted.filter((label, index) => label === test[index]!.label).length / test.length).toBeGreaterThan(0.85); // chance: 0.5
      tf.dispose([x, y]);
      optimizer.dispose();
      classifier.dispose();
    });
  }

  it('names bad configurations and inputs', () => {
    expect(() => new TextClassifier({ ...base('transformer'), embeddingDim: 10, heads: 4 }, tokenizer)).toThrow(/embeddingDim 10 is not divisible by heads 4/);
    expect(() => new TextClassifier({ ...base('transformer'), numClasses: 1, labels: undefined }, tokenizer)).toThrow(/numClasses must be at least 2; got 1/);
    expect(() => new TextClassifier({ ...base('transformer'), kind: 'cnn' as 'transformer' }, tokenizer)).toThrow(/kind must be 'bilstm-attention' or 'transformer'; got "cnn"/);
    expect(() => new TextClassifier({ ...base('transformer'), vocabSize: 10 }, tokenizer)).toThrow(new RegExp(`the tokenizer has ${tokenizer.vocabSize} tokens but vocabSize is 10`));
    expect(() => new TextClassifier({ ...base('bilstm-attention'), labels: ['a'] }, tokenizer)).toThrow(/1 labels given for numClasses 2/);
    const classifier = new TextClassifier(base('bilstm-attention'), tokenizer);
    expect(() => classifier.encode(['fine', '   '])).toThrow(/text 1 is empty/);
    classifier.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow (LSTM training would take minutes); the models are plain tfjs ops covered on cpu and wasm' } });
