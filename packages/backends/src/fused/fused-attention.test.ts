import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackends, expectClose, expectNoLeaks } from '../testing/index';
import { attentionReference, type AttentionOptions } from './attention-reference';
import { fusedAttention } from './fused-attention';

interface Case {
  name: string;
  batch: number;
  heads: number;
  queryLength: number;
  keyLength: number;
  depth: number;
  options: (seed: number) => AttentionOptions;
}

/** A random bool mask of `shape` with about `keep` of it visible. */
const randomMask = (shape: number[], keep: number, seed: number) => tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed), keep);

const CASES: Case[] = [
  { name: 'plain, T != S', batch: 2, heads: 3, queryLength: 5, keyLength: 7, depth: 6, options: () => ({}) },
  { name: 'odd depth, scale', batch: 1, heads: 2, queryLength: 9, keyLength: 4, depth: 5, options: () => ({ scale: 0.7 }) },
  { name: 'causal', batch: 2, heads: 2, queryLength: 7, keyLength: 7, depth: 8, options: () => ({ causal: true }) },
  { name: 'causal, T > S', batch: 1, heads: 2, queryLength: 6, keyLength: 4, depth: 3, options: () => ({ causal: true }) },
  { name: 'window', batch: 1, heads: 3, queryLength: 8, keyLength: 9, depth: 4, options: () => ({ window: 2 }) },
  { name: 'causal + window', batch: 2, heads: 1, queryLength: 9, keyLength: 9, depth: 7, options: () => ({ causal: true, window: 3 }) },
  {
    name: 'full bool mask',
    batch: 2, heads: 2, queryLength: 6, keyLength: 5, depth: 4,
    options: (seed) => ({ mask: randomMask([2, 2, 6, 5], 0.6, seed) }),
  },
  {
    name: 'padding mask (batch, 1, 1, S) as 0/1 floats',
    batch: 3, heads: 2, queryLength: 4, keyLength: 6, depth: 5,
    options: () => ({ mask: tf.tensor4d([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [3, 1, 1, 6]) }),
  },
  {
    name: 'rank-2 (T, S) mask with fully masked rows, causal',
    batch: 2, heads: 2, queryLength: 5, keyLength: 6, depth: 3,
    options: () => ({
      causal: true,
      // rows 1 and 3 see nothing; the others see what causal leaves of a random pattern
      mask: tf.tensor2d([1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [5, 6], 'bool'),
    }),
  },
];

await describeBackends(['cpu', 'wasm'], (backend) => {
  describe('fusedAttention', () => {
    it('matches the composite reference forward on random odd shapes, masks, causal and window', async () => {
      let seed = 100;
      for (const { name, batch, heads, queryLength, keyLength, depth, options } of CASES) {
        const query = tf.randomNormal([batch, heads, queryLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const key = tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const value = tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const attentionOptions = options(seed++);
        const fused = fusedAttention(query, key, value, attentionOptions);
        const reference = attentionReference(query, key, value, attentionOptions);
        expect(fused.shape).toEqual([batch, heads, queryLength, depth]);
        await expectClose(fused, reference, { rtol: 1e-4, atol: 1e-5, label: `${backend} ${name}` });
        tf.dispose([query, key, value, fused, reference, attentionOptions.mask ?? []]);
      }
    });

    it('matches the composite reference gradients w.r.t. query, key and value', async () => {
      let seed = 200;
      for (const { name, batch, heads, queryLength, keyLength, depth, options } of CASES) {
        const query = tf.randomNormal([batch, heads, queryLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const key = tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const value = tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed++) as tf.Tensor4D;
        const upstream = tf.randomNormal([batch, heads, queryLength, depth], 0, 1, 'float32', seed++);
        const attentionOptions = options(seed++);
        const loss = (attention: typeof fusedAttention) => (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
          attention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, attentionOptions).mul(upstream).sum();
        const fused = tf.grads(loss(fusedAttention))([query, key, value]);
        const reference = tf.grads(loss(attentionReference))([query, key, value]);
        for (const [index, input] of ['dQuery', 'dKey', 'dValue'].entries()) {
          await expectClose(fused[index]!, reference[index]!, { rtol: 1e-3, atol: 1e-4, label: `${backend} ${name} ${input}` });
        }
        tf.dispose([query, key, value, upstream, ...fused, ...reference, attentionOptions.mask ?? []]);
      }
    });

    it('gives zeros, not NaN, for fully masked rows, and zero gradient through them', async () => {
      const query = tf.randomNormal([1, 1, 3, 4], 0, 1, 'float32', 7) as tf.Tensor4D;
      const key = tf.randomNormal([1, 1, 5, 4], 0, 1, 'float32', 8) as tf.Tensor4D;
      const value = tf.randomNormal([1, 1, 5, 4], 0, 1, 'float32', 9) as tf.Tensor4D;
      const mask = tf.zeros([1, 1, 3, 5], 'bool');
      const output = fusedAttention(query, key, value, { mask });
      await expectClose(output, tf.zeros([1, 1, 3, 4]));
      const [dQuery, dKey, dValue] = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
        fusedAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { mask }).sum(),
      )([query, key, value]);
      for (const gradient of [dQuery!, dKey!, dValue!]) await expectClose(gradient, tf.zerosLike(gradient));
      tf.dispose([query, key, value, mask, output, dQuery!, dKey!, dValue!]);
    });

    it('leaks no tensors forward or backward', async () => {
      const query = tf.randomNormal([1, 2, 3, 4]) as tf.Tensor4D;
      const key = tf.randomNormal([1, 2, 5, 4]) as tf.Tensor4D;
      const value = tf.randomNormal([1, 2, 5, 4]) as tf.Tensor4D;
      const mask = tf.ones([5], 'bool');
      await expectNoLeaks(() => fusedAttention(query, key, value, { mask, causal: true }).dispose(), 'fusedAttention forward');
      await expectNoLeaks(() => {
        const gradients = tf.grads((q: tf.Tensor) => fusedAttention(q as tf.Tensor4D, key, value, { mask }).sum())([query]);
        tf.dispose(gradients);
      }, 'fusedAttention backward');
      tf.dispose([query, key, value, mask]);
    });
  });
});

describe('attentionReference masking', () => {
  it('uses no large negative fill: visible scores far below -1e9 still softmax correctly (float64 check)', async () => {
    // q·k = -(1..5) per key, scale 1e9: visible scores lie in [-5e9, -1e9], below any -1e9 fill
    const query = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
    const key = tf.tensor4d([-1, -1.5, -2, -3, -5], [1, 1, 5, 1]);
    const value = tf.tensor4d([10, 20, 30, 40, 50], [1, 1, 5, 1]);
    const mask = tf.tensor4d([0, 1, 1, 0, 1], [1, 1, 1, 5], 'bool');
    const output = attentionReference(query, key, value, { mask, scale: 1e-9 * 1e18 });
    // only key 1 (the largest visible score, -1.5e9) matters: the others are >= 5e8 lower
    expect(Array.from(await output.data())).toEqual([20]);
    const uniform = attentionReference(query, key, value, { mask, scale: 1 });
    const scores = [-1.5, -2, -5].map(Math.exp);
    const total = scores.reduce((sum, score) => sum + score, 0);
    const expected = (20 * scores[0]! + 30 * scores[1]! + 50 * scores[2]!) / total;
    expect((await uniform.data())[0]).toBeCloseTo(expected, 5);
    tf.dispose([query, key, value, mask, output, uniform]);
  });
});

describe('fusedAttention input checks', () => {
  const query = tf.zeros([2, 3, 4, 5]) as tf.Tensor4D;
  const key = tf.zeros([2, 3, 6, 5]) as tf.Tensor4D;
  it('names the argument and both shapes', () => {
    expect(() => fusedAttention(tf.zeros([3, 4, 5]) as unknown as tf.Tensor4D, key, key)).toThrow(/query must have rank 4.*\[3, 4, 5\]/);
    expect(() => fusedAttention(query, tf.zeros([2, 3, 6, 4]) as tf.Tensor4D, key)).toThrow(/key \[2, 3, 6, 4\] must match query \[2, 3, 4, 5\]/);
    expect(() => fusedAttention(query, key, tf.zeros([2, 3, 7, 5]) as tf.Tensor4D)).toThrow(/value \[2, 3, 7, 5\] must have the shape of key \[2, 3, 6, 5\]/);
    expect(() => fusedAttention(query, key, key, { mask: tf.ones([4, 5]) })).toThrow(/mask \[4, 5\] must broadcast to the scores .* \[2, 3, 4, 6\]/);
    expect(() => fusedAttention(query, key, key, { window: -1 })).toThrow(/window must be a non-negative integer/);
    for (const [scale, shown] of [[0, '0'], [-1, '-1'], [NaN, 'NaN'], [Infinity, 'Infinity']] as const) {
      expect(() => fusedAttention(query, key, key, { scale })).toThrow(`fusedAttention: scale must be a positive finite number; got ${shown}`);
    }
  });
});
