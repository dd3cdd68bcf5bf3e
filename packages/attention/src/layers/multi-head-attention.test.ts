import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { paddingMask } from '../masks/padding-mask';
import { setAttentionFastPath } from '../ops/attention-fast-path';
import { scaledDotProductAttention } from '../ops/scaled-dot-product-attention';
import { expectConfigRoundTrip, saveAndLoad } from '../testing/expect-config-round-trip';
import { MultiHeadAttention } from './multi-head-attention';

const [batch, queryLength, keyLength, width] = [2, 3, 4, 6];

/** The layer's equation written out from its weights: an independent composite. */
function byHand(layer: MultiHeadAttention, query: tf.Tensor, value: tf.Tensor, mask?: tf.Tensor, causal = false): tf.Tensor {
  return tf.tidy(() => {
    const weights = Object.fromEntries(layer.weights.map((w) => [w.originalName.split('/').slice(-2).join('/'), w.read()]));
    const heads = layer.numHeads;
    const project = (x: tf.Tensor, name: string) => {
      const kernel = weights[`${name}/kernel`]!; // (in, heads, depth)
      const depth = kernel.shape[2]!;
      const flat = tf.matMul(x.reshape([-1, x.shape[2]!]), kernel.reshape([x.shape[2]!, -1])).add(weights[`${name}/bias`]!.reshape([-1]));
      return flat.reshape([x.shape[0]!, x.shape[1]!, heads, depth]).transpose([0, 2, 1, 3]);
    };
    const context = scaledDotProductAttention(project(query, 'query'), project(value, 'key'), project(value, 'value'), { mask, causal });
    const merged = context.transpose([0, 2, 1, 3]).reshape([query.shape[0]! * query.shape[1]!, -1]);
    const kernel = weights['attention_output/kernel']!;
    return tf.matMul(merged, kernel.reshape([-1, kernel.shape[2]!])).add(weights['attention_output/bias']!).reshape([query.shape[0]!, query.shape[1]!, -1]);
  });
}

await describeBackends(TEST_BACKENDS, () => {
  it('runs inside a tf.model graph (cross attention, causal, scores as a second output) like eager calls', async () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, biasInitializer: 'glorotUniform' });
    const queryInput = tf.input({ shape: [queryLength, width] });
    const valueInput = tf.input({ shape: [keyLength, width] });
    const [output, scores] = layer.apply([queryInput, valueInput], { useCausalMask: true, returnAttentionScores: true }) as tf.SymbolicTensor[];
    expect(output!.shape).toEqual([null, queryLength, width]);
    expect(scores!.shape).toEqual([null, 2, queryLength, keyLength]);
    const model = tf.model({ inputs: [queryInput, valueInput], outputs: [output!, scores!] });
    const query = tf.randomNormal([batch, queryLength, width], 0, 1, 'float32', 1);
    const value = tf.randomNormal([batch, keyLength, width], 0, 1, 'float32', 2);
    const [predicted, predictedScores] = model.predict([query, value]) as tf.Tensor[];
    const expected = byHand(layer, query, value, undefined, true);
    await expectClose(predicted!, expected, { rtol: 1e-5, atol: 1e-5, label: 'graph output' });
    const scoreValues = await predictedScores!.array() as number[][][][];
    expect(scoreValues[0]![1]![0]![1]).toBe(0); // causal: query 0 never sees key 1
    tf.dispose([query, value, predicted!, predictedScores!, expected]);
  });

  it('takes a mask as a fourth graph input, and a padding mask eagerly, equal to the composite', async () => {
    const layer = new MultiHeadAttention({ numHeads: 3, keyDim: 2, biasInitializer: 'glorotUniform' });
    const queryInput = tf.input({ shape: [queryLength, width] });
    const valueInput = tf.input({ shape: [keyLength, width] });
    const maskInput = tf.input({ shape: [1, keyLength], dtype: 'int32' });
    const output = layer.apply([queryInput, valueInput, valueInput, maskInput]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [queryInput, valueInput, maskInput], outputs: output });
    const query = tf.randomNormal([batch, queryLength, width], 0, 1, 'float32', 3);
    const value = tf.randomNormal([batch, keyLength, width], 0, 1, 'float32', 4);
    const mask = paddingMask([4, 2]).toInt();
    const predicted = model.predict([query, value, mask]) as tf.Tensor;
    const eager = layer.apply([query, value], { attentionMask: mask }) as tf.Tensor;
    const expected = byHand(layer, query, value, mask);
    await expectClose(predicted, expected, { rtol: 1e-5, atol: 1e-5, label: 'graph with mask input' });
    await expectClose(eager, expected, { rtol: 1e-5, atol: 1e-5, label: 'eager with attentionMask' });
    tf.dispose([query, value, mask, predicted, eager, expected]);
  });

  it('saves and loads with a model through tf.io, keeping weights and useCausalMask', async () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, valueDim: 3, outputShape: 5, dropout: 0.1 });
    const input = tf.input({ shape: [queryLength, width] });
    const model = tf.model({ inputs: input, outputs: layer.apply(input, { useCausalMask: true }) as tf.SymbolicTensor });
    const loaded = await saveAndLoad(model);
    const x = tf.randomNormal([batch, queryLength, width], 0, 1, 'float32', 5);
    const [before, after] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(after.shape).toEqual([batch, queryLength, 5]);
    await expectClose(after, before, { rtol: 1e-6, atol: 1e-6 });
    const notCausal = layer.apply(x, { useCausalMask: false }) as tf.Tensor; // explicit: graph options are the defaults
    expect(Math.abs((await tf.sub(notCausal, before).abs().max().data())[0]!)).toBeGreaterThan(1e-4);
    tf.dispose([x, before, after, notCausal]);
  });
});

it('routes through the attention fast path unless scores are returned', async () => {
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
  const x = tf.randomNormal([batch, queryLength, width], 0, 1, 'float32', 7);
  const plain = layer.apply(x, { useCausalMask: true }) as tf.Tensor;
  let calls = 0;
  setAttentionFastPath((query, _key, _value, { causal }) => {
    calls++;
    expect(causal).toBe(true);
    return tf.zerosLike(query); // (batch, heads, T, 3): valueDim = keyDim here
  });
  try {
    const routed = layer.apply(x, { useCausalMask: true }) as tf.Tensor;
    expect(calls).toBe(1);
    // A zero context leaves only the output bias (zeros at init): the fast path's result was used.
    await expectClose(routed, new Array(routed.size).fill(0), { atol: 0 });
    expect((await tf.sub(plain, routed).abs().max().data())[0]).toBeGreaterThan(0);
    const [, scores] = layer.apply(x, { useCausalMask: true, returnAttentionScores: true }) as tf.Tensor[];
    expect(calls).toBe(1);
    tf.dispose([routed, scores!]);
  } finally {
    setAttentionFastPath(undefined);
  }
  tf.dispose([x, plain]);
});

it('trains: one fit step on cpu lowers the loss', async () => {
  await tf.setBackend('cpu');
  const input = tf.input({ shape: [queryLength, width] });
  const model = tf.model({ inputs: input, outputs: new MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply(input) as tf.SymbolicTensor });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
  const x = tf.randomNormal([4, queryLength, width], 0, 1, 'float32', 6);
  const history = await model.fit(x, x, { epochs: 5, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[4]!).toBeLessThan(losses[0]!);
  x.dispose();
});

it('round-trips its config through JSON and computes output shapes', () => {
  const layer = new MultiHeadAttention({ numHeads: 4, keyDim: 8, valueDim: 2, dropout: 0.25, useBias: false, outputShape: 7, name: 'mha' });
  const rebuilt = expectConfigRoundTrip(layer);
  expect(rebuilt.getConfig()).toMatchObject({ numHeads: 4, keyDim: 8, valueDim: 2, dropout: 0.25, useBias: false, outputShape: 7 });
  expect(layer.computeOutputShape([[null, 5, 16], [null, 9, 12]])).toEqual([null, 5, 7]);
  expectConfigRoundTrip(new MultiHeadAttention({ numHeads: 1, keyDim: 1 }));
});

it('rejects bad configs and inputs naming the argument and both shapes', () => {
  expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow('MultiHeadAttention: numHeads must be a positive integer; got 0');
  expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\); got 1.5/);
  expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, kernelInitializer: 'nope' as never })).toThrow(/kernelInitializer must be one of/);
  const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
  const query = tf.zeros([2, 3, 4]);
  const otherBatch = tf.zeros([3, 5, 4]);
  const narrow = tf.zeros([2, 3, 5]);
  const rank2 = tf.zeros([3, 4]);
  tf.dispose(layer.apply(query) as tf.Tensor);
  expect(() => layer.apply([query, otherBatch])).toThrow('MultiHeadAttention: value [3,5,4] and query [2,3,4] differ in batch size');
  expect(() => layer.apply(narrow)).toThrow('MultiHeadAttention: query has shape [2,3,5] but the layer was built for query dim 4');
  expect(() => layer.apply(rank2)).toThrow('MultiHeadAttention: query must have shape (batch, time, dim); got shape [3,4]');
  const floatMask = tf.ones([2, 3, 3]);
  expect(() => layer.apply(query, { attentionMask: floatMask })).toThrow(/attentionMask must have dtype bool or int32 .* got float32 with shape \[2,3,3\]/);
  const wrongMask = tf.ones([2, 3, 4], 'bool');
  const tensorsBefore = tf.memory().numTensors;
  expect(() => layer.apply(query, { attentionMask: wrongMask })).toThrow(
    'MultiHeadAttention: attentionMask with shape [2,3,4] does not broadcast to the attention scores (batch, heads, queryLength, keyLength) = [2,2,3,3]: its keyLength axis is 4, expected 3 or 1',
  );
  expect(tf.memory().numTensors, 'no kernel ran before the error').toBe(tensorsBefore);
  tf.dispose([query, otherBatch, narrow, rank2, floatMask, wrongMask]);
  layer.dispose();
});
