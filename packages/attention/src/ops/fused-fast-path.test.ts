import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { afterEach, expect, it } from 'vitest';
import { MultiHeadAttention } from '../layers/multi-head-attention';
import { causalMask } from '../masks/causal-mask';
import { getAttentionFastPath, setAttentionFastPath } from './attention-fast-path';
import { fusedAttentionFastPath } from './fused-fast-path';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

afterEach(() => setAttentionFastPath(fusedAttentionFastPath));

it('is the default fast path', () => {
  expect(getAttentionFastPath()).toBe(fusedAttentionFastPath);
});

await describeBackends(TEST_BACKENDS, () => {
  it('routes scaledDotProductAttention to fusedAttention and equals the reference path, values and gradients', async () => {
    const query = tf.randomNormal([2, 2, 5, 8], 0, 1, 'float32', 1) as tf.Tensor4D; // (batch, heads, T, depth)
    const key = tf.randomNormal([2, 2, 7, 8], 0, 1, 'float32', 2) as tf.Tensor4D; // (batch, heads, S, depth)
    const value = tf.randomNormal([2, 2, 7, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
    const mask = causalMask(5, 7);
    let calls = 0;
    setAttentionFastPath((...args) => {
      calls++;
      return fusedAttentionFastPath(...args);
    });
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => scaledDotProductAttention(q, k, v, { mask }).square().sum();
    const fused = scaledDotProductAttention(query, key, value, { mask });
    const fusedGradients = tf.grads(loss)([query, key, value]);
    expect(calls).toBe(2);
    setAttentionFastPath(undefined);
    const reference = scaledDotProductAttention(query, key, value, { mask });
    const referenceGradients = tf.grads(loss)([query, key, value]);
    await expectClose(fused, reference, { rtol: 1e-5, atol: 1e-5, label: 'context' });
    for (const [index, name] of ['dQuery', 'dKey', 'dValue'].entries()) {
      await expectClose(fusedGradients[index]!, referenceGradients[index]!, { rtol: 1e-4, atol: 1e-5, label: name });
    }
    tf.dispose([query, key, value, mask, fused, reference, ...fusedGradients, ...referenceGradients]);
  });

  it('gives MultiHeadAttention the same output with the default fast path as without, and leaks nothing', async () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
    const input = tf.randomNormal([2, 6, 8], 0, 1, 'float32', 4);
    const fast = layer.apply(input) as tf.Tensor;
    setAttentionFastPath(undefined);
    const reference = layer.apply(input) as tf.Tensor;
    setAttentionFastPath(fusedAttentionFastPath);
    await expectClose(fast, reference, { rtol: 1e-5, atol: 1e-5, label: 'MultiHeadAttention output' });
    await expectNoLeaks(() => tf.tidy(() => layer.apply(input) as tf.Tensor), 'fast MultiHeadAttention call');
    tf.dispose([input, fast, reference]);
    layer.dispose();
  });
});
