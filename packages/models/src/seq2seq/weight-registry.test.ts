import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@heed/backends';
import { SEQ2SEQ_ATTENTIONS, type Seq2SeqAttention } from './seq2seq-config';
import { Seq2Seq } from './seq2seq';

beforeAll(() => initBackend({ backend: 'cpu' }));

const build = (attention: Seq2SeqAttention, seed: number) =>
  new Seq2Seq({ sourceVocabSize: 12, targetVocabSize: 10, attention, embeddingDim: 8, encoderUnits: 4, numLayers: 1, numHeads: 2, intermediateDim: 8, seed });

const valuesOf = (model: Seq2Seq) => Object.fromEntries([...model.weights.variables].map(([name, variable]) => [name, Array.from(variable.dataSync())]));

describe('seeded initialisation', () => {
  // The attention layers and Transformer blocks of @heed/attention initialise with unseeded tfjs
  // initializers (they seed themselves from Math.random): two models with the same seed had
  // different attention weights until the registry built them with a seeded Math.random.
  it.each(SEQ2SEQ_ATTENTIONS)('%s: two builds with the same seed have identical weights; another seed gives others', (attention) => {
    const [a, b, other] = [build(attention, 4), build(attention, 4), build(attention, 5)];
    try {
      const [first, second, third] = [valuesOf(a), valuesOf(b), valuesOf(other)];
      expect(Object.keys(first).length).toBeGreaterThan(5);
      expect(second).toEqual(first);
      const layerWeights = Object.keys(first).filter((name) => /^(decoder\/attention|encoder\/layer_0|decoder\/layer_0)\//.test(name));
      if (attention !== 'luong-dot') expect(layerWeights.length).toBeGreaterThan(0); // Luong dot scores have no weights
      for (const name of layerWeights.filter((name) => new Set(first[name]).size > 1)) expect(third[name], name).not.toEqual(first[name]);
      expect(third['encoder/embedding']).not.toEqual(first['encoder/embedding']);
    } finally {
      [a, b, other].forEach((model) => model.dispose());
    }
  });

  it('leaves Math.random as it was and no tensor behind, for every attention', () => {
    const random = Math.random;
    const before = tf.memory().numTensors;
    for (const attention of SEQ2SEQ_ATTENTIONS) build(attention, 1).dispose(); // each LSTM cell left its forget-bias tensor behind
    const model = build('luong-general', 1);
    expect(Array.from(model.weights.variables.get('encoder/forward/bias')!.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // forget gate 1 (units 4)
    model.dispose();
    expect(Math.random).toBe(random);
    expect(tf.memory().numTensors).toBe(before);
  });
});
