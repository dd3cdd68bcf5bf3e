import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, seededValues, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { additiveScore } from './additive-score';
import { cosineScore } from './cosine-score';
import { layerNormalization } from './layer-normalization';
import { multiplicativeScore } from './multiplicative-score';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

// The layers' tests check these scores against float64 loops; here: how they relate and fail.
const query = () => tf.tensor3d(seededValues(2 * 3 * 4, 31), [2, 3, 4]);
const key = () => tf.tensor3d(seededValues(2 * 5 * 4, 32), [2, 5, 4]);

await describeBackends(TEST_BACKENDS, () => {
  it('softmax(dot score / √d) is the scaled dot-product attention weight; cosine of a vector with itself is 1', async () => {
    const [q, k] = [query(), key()];
    const fromScore = tf.softmax(tf.div(multiplicativeScore(q, k), 2));
    const [, weights] = scaledDotProductAttention(q, k, k, { returnWeights: true });
    await expectClose(fromScore, weights, { rtol: 1e-5, atol: 1e-6 });
    const self = cosineScore(q, q, 3);
    const diagonal = tf.tidy(() => tf.sum(tf.mul(self, tf.eye(3).expandDims(0)), -1));
    await expectClose(diagonal, new Array(6).fill(3), { rtol: 1e-5 });
    tf.dispose([q, k, fromScore, weights, self, diagonal]);
  });
});

it('names the shapes that do not fit', () => {
  const [q, k] = [query(), key()];
  const kernel = tf.zeros([3, 4]) as tf.Tensor2D;
  expect(() => multiplicativeScore(q, k, kernel)).toThrow('multiplicativeScore: query [2,3,4] with kernel [3,4] and key [2,5,4] must meet in the last axis');
  const narrow = tf.zeros([2, 5, 2]) as tf.Tensor3D;
  expect(() => cosineScore(q, narrow)).toThrow('cosineScore: query [2,3,4] and key [2,5,2] need the same width');
  const weights = { queryKernel: tf.zeros([4, 2]) as tf.Tensor2D, keyKernel: tf.zeros([2, 2]) as tf.Tensor2D, scoreVector: tf.zeros([2, 1]) as tf.Tensor2D };
  expect(() => additiveScore(q, k, weights)).toThrow(/additiveScore: query \[2,3,4\] and key \[2,5,4\] do not fit queryKernel \[4,2\], keyKernel \[2,2\]/);
  tf.dispose([q, k, kernel, narrow, ...Object.values(weights)]);
});

it('names bad weights, temperatures and epsilons instead of failing inside tfjs', () => {
  const [q, k] = [query(), key()];
  expect(() => additiveScore(q, k, {} as never)).toThrow('additiveScore: weights.queryKernel must be a rank-2 tensor; got undefined');
  const kernel = tf.zeros([4, 2]) as tf.Tensor2D;
  expect(() => additiveScore(q, k, { queryKernel: kernel, keyKernel: kernel, scoreVector: tf.zeros([2]) as never })).toThrow('additiveScore: weights.scoreVector must be a rank-2 tensor; got shape [2]');
  for (const [temperature, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], ['2', '"2"']] as const) {
    expect(() => cosineScore(q, k, temperature as number)).toThrow(`cosineScore: inverseTemperature must be a finite number or a scalar tensor; got ${shown}`);
  }
  const gamma = tf.ones([4]);
  for (const [epsilon, shown] of [[-1, '-1'], [NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
    expect(() => layerNormalization(q, gamma, gamma, epsilon)).toThrow(`layerNormalization: epsilon must be a non-negative finite number (as nn.LayerNorm's eps, e.g. 1e-5); got ${shown}`);
  }
  tf.dispose([q, k, kernel, gamma]);
});
