import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectNoLeaks } from '@heed/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import { loadHfTokenizer } from '../hf/preprocessing/load-hf-tokenizer';
import { folderSource } from '../hf/sources/folder-source-node';
import { HfTextClassifier } from './hf-text-classifier';

const FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), '../hf/__fixtures__/bert-seq-cls-f32');
const MLM_FIXTURE = join(fileURLToPath(new URL('.', import.meta.url)), '../hf/__fixtures__/bert-mlm-f16');
const TEXTS = ['this film was not very good .', 'my dog is cute', 'hello , the cat sat on a mat and it was good !'];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('HfTextClassifier', () => {
  it('reads labels, depth, heads and maxLength from config.json and tokenizer_config.json', async () => {
    const classifier = await HfTextClassifier.fromPretrained(folderSource(FIXTURE));
    expect(classifier.config).toMatchObject({ kind: 'hf', architecture: 'BertForSequenceClassification', modelType: 'bert', labels: ['negative', 'neutral', 'positive'], maxLength: 16, depth: 2, heads: 3 });
    expect(classifier.countParams()).toBe(classifier.model.weights.reduce((sum, weight) => sum + weight.variable.size, 0));
    classifier.dispose();
  });

  it('classifies a padded batch as the model scores each text alone (softmax of forward logits), without leaking tensors', async () => {
    const classifier = await HfTextClassifier.fromPretrained(folderSource(FIXTURE));
    const batched = await expectNoLeaks(() => classifier.predictProbabilities(TEXTS, 2), 'predictProbabilities');
    const model = await fromPretrained(folderSource(FIXTURE));
    const tokenizer = await loadHfTokenizer(folderSource(FIXTURE));
    for (const [index, text] of TEXTS.entries()) {
      const inputs = tokenizer.toTensors(tokenizer.encode(text, { maxLength: 16, padding: false }));
      const alone = tf.tidy(() => tf.softmax(model.forward(inputs).logits!));
      const expected = ((await alone.array()) as number[][])[0]!;
      tf.dispose([alone, ...Object.values(inputs)]);
      expect(batched[index]!.length).toBe(3);
      batched[index]!.forEach((value, label) => expect(value).toBeCloseTo(expected[label]!, 5));
    }
    const classes = await classifier.classify(TEXTS);
    expect(Array.from(classes)).toEqual(batched.map((row) => row.indexOf(Math.max(...row))));
    model.dispose();
    classifier.dispose();
  });

  it('explains one text: the tokens it read, rollout weights summing to 1, each head\'s [CLS] row, and truncation past maxLength', async () => {
    const classifier = await HfTextClassifier.fromPretrained(folderSource(FIXTURE));
    const short = await expectNoLeaks(() => classifier.explain(TEXTS[1]!), 'explain');
    expect(short.tokens).toEqual(['[CLS]', 'my', 'dog', 'is', 'cute', '[SEP]']);
    expect(short.truncated).toBe(false);
    expect(short.weights.length).toBe(short.tokens.length);
    expect(short.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(short.heads.length).toBe(2);
    expect(short.heads[0]!.length).toBe(3);
    for (const row of short.heads.flat()) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const [probabilities] = await classifier.predictProbabilities([TEXTS[1]!]);
    short.probabilities.forEach((value, label) => expect(value).toBeCloseTo(probabilities![label]!, 5));
    expect(short.labelName).toBe(classifier.config.labels[short.label]);
    const long = await classifier.explain(`${TEXTS[2]} ${TEXTS[2]}`);
    expect(long.truncated).toBe(true);
    expect(long.tokens.length).toBe(16);
    expect(long.tokens.at(-1)).toBe('[SEP]');
    const maps = await classifier.attentionMaps(TEXTS[1]!);
    expect(maps.shape).toEqual([2, 3, 6, 6]);
    // Row 0 of each map is the [CLS] row explain() reports.
    expect(Array.from(maps.weights.subarray(0, 6))).toEqual(short.heads[0]![0]!.map((value) => Math.fround(value)));
    classifier.dispose();
  });

  it('refuses a model without a sequence-classification head and bad arguments, naming them', async () => {
    const mlm = await fromPretrained(folderSource(MLM_FIXTURE));
    const tokenizer = await loadHfTokenizer(folderSource(FIXTURE));
    expect(() => new HfTextClassifier(mlm, tokenizer)).toThrow(/must be a …ForSequenceClassification; got BertForMaskedLM/);
    mlm.dispose();
    const classifier = await HfTextClassifier.fromPretrained(folderSource(FIXTURE));
    await expect(classifier.predictProbabilities('a text' as unknown as string[])).rejects.toThrow(/texts must be an array of strings/);
    await expect(classifier.predictProbabilities(TEXTS, 0)).rejects.toThrow(/batchSize must be a positive integer; got 0/);
    await expect(classifier.explain(3 as unknown as string)).rejects.toThrow(/text must be a string; got number/);
    classifier.dispose();
  });
});
