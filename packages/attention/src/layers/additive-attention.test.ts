import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { expectConfigRoundTrip } from '../testing/expect-config-round-trip';
import {
  attentionInputs,
  expectGraphAndSaveLoadMatchEager,
  expectLayerGradientsMatchFiniteDifferences,
  expectMaskedKeysGetZeroWeight,
  naiveScoredAttention,
  randomizeWeights,
  times,
  weightsByName,
} from '../testing/scored-attention-checks';
import { AdditiveAttention, BahdanauAttention } from './additive-attention';

const units = 4;

await describeBackends(TEST_BACKENDS, () => {
  it('scores vᵀ tanh(W·q + U·k + b) like a float64 loop reference, with exact zeros under masks', async () => {
    const inputs = attentionInputs({ queryDim: 2, keyDim: 3 });
    const layer = new AdditiveAttention({ units });
    randomizeWeights(layer, inputs);
    const w = await weightsByName(layer);
    const expected = await naiveScoredAttention(inputs, (_b, q, k) => {
      const hidden = times(q, w['query_kernel']!, units).map((x, u) => Math.tanh(x + times(k, w['key_kernel']!, units)[u]! + w['bias']![u]!));
      return hidden.reduce((sum, h, u) => sum + h * w['score_vector']![u]!, 0);
    });
    const [context, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[];
    await expectClose(context!, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
    await expectClose(weights!, expected.weights, { rtol: 1e-5, atol: 1e-6, label: 'weights' });
    await expectMaskedKeysGetZeroWeight(layer, inputs);
    tf.dispose([context!, weights!]);
    inputs.dispose();
  });

  it('has input and weight gradients equal to central differences', async () => {
    const inputs = attentionInputs();
    const layer = new BahdanauAttention({ units: 2 });
    randomizeWeights(layer, inputs);
    await expectLayerGradientsMatchFiniteDifferences(layer, inputs, { attentionMask: tf.tensor2d([[1, 1, 0, 1]], undefined, 'int32') });
    inputs.dispose();
  });

  it('works in a tf.model graph and after save/load, and leaks nothing', async () => {
    const inputs = attentionInputs();
    const layer = new AdditiveAttention({ units });
    await expectGraphAndSaveLoadMatchEager(layer, inputs);
    await expectNoLeaks(() => tf.tidy(() => layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[]));
    inputs.dispose();
  });
});

it('round-trips its config, Bahdanau under its own className', () => {
  expectConfigRoundTrip(new AdditiveAttention({ units: 3, dropout: 0.1, kernelInitializer: 'heNormal' }));
  const bahdanau = expectConfigRoundTrip(new BahdanauAttention({ units: 5 }));
  expect(bahdanau.getClassName()).toBe('BahdanauAttention');
  expect(() => new AdditiveAttention({ units: 0 })).toThrow('AdditiveAttention: units must be a positive integer; got 0');
});

it('rejects mismatched inputs and masks, naming the argument and both shapes', () => {
  const inputs = attentionInputs();
  const layer = new AdditiveAttention({ units: 2 });
  const call = (list: tf.Tensor[], options: Record<string, unknown> = {}) => () => layer.apply(list, options);
  tf.dispose(layer.apply([inputs.query, inputs.value, inputs.key]) as tf.Tensor);
  const shortValue = tf.zeros([2, 5, 2]);
  expect(call([inputs.query, shortValue, inputs.key])).toThrow('AdditiveAttention: key [2,4,3] and value [2,5,2] must have the same time axis');
  const otherBatch = tf.zeros([3, 3, 3]);
  expect(call([otherBatch, inputs.value, inputs.key])).toThrow('AdditiveAttention: value [2,4,2] and query [3,3,3] differ in batch size');
  const wideKey = tf.zeros([2, 4, 5]);
  expect(call([inputs.query, inputs.value, wideKey])).toThrow('AdditiveAttention: key has shape [2,4,5] but the layer was built for key dim 3');
  const wrongMask = tf.ones([2, 3, 5], 'bool');
  expect(call([inputs.query, inputs.value, inputs.key], { attentionMask: wrongMask })).toThrow(
    /attentionMask with shape \[2,3,5\] does not broadcast to the attention scores \(batch, heads, queryLength, keyLength\) = \[2,1,3,4\]/,
  );
  const perHead = tf.ones([2, 1, 3, 4], 'bool');
  expect(call([inputs.query, inputs.value, inputs.key], { attentionMask: perHead })).toThrow('AdditiveAttention: attentionMask must have rank 2 or 3 (one head); got shape [2,1,3,4]');
  const rank2 = tf.zeros([3, 3]);
  expect(call([rank2, inputs.value, inputs.key])).toThrow('AdditiveAttention: query must have shape (batch, time, dim); got shape [3,3]');
  tf.dispose([shortValue, otherBatch, wideKey, wrongMask, perHead, rank2]);
  inputs.dispose();
});
