import * as tf from '@tensorflow/tfjs';
import { attentionReference, fusedAttention } from '@heed/backends';
import { describeBackends, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { afterEach, expect, it } from 'vitest';
import { paddingMask } from '../masks/padding-mask';
import { setAttentionFastPath } from './attention-fast-path';
import { fusedAttentionFastPath } from './fused-fast-path';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

afterEach(() => setAttentionFastPath(fusedAttentionFastPath));

/** Per query row of a (1, 1, T, D) result: 'nan' if any element is NaN, 'zero' if all are 0, else 'finite'. */
async function rows(tensor: tf.Tensor): Promise<string[]> {
  const values = await tensor.data();
  const width = tensor.shape[tensor.rank - 1]!;
  const result: string[] = [];
  for (let start = 0; start < values.length; start += width) {
    const row = Array.from(values.subarray(start, start + width));
    result.push(row.some(Number.isNaN) ? 'nan' : row.every((v) => v === 0) ? 'zero' : 'finite');
  }
  return result;
}

// Query row 1 is NaN; key row 2 is NaN (visible to every query unless masked); a padding mask
// hides keys 2 and 3, and the masked NaN key still makes every row NaN (PyTorch's contract).
function inputs(): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const q = tf.randomNormal([1, 1, 3, 4], 0, 1, 'float32', 1).bufferSync();
  for (let d = 0; d < 4; d++) q.set(NaN, 0, 0, 1, d);
  const k = tf.randomNormal([1, 1, 4, 4], 0, 1, 'float32', 2).bufferSync();
  k.set(NaN, 0, 0, 2, 0);
  return [q.toTensor() as tf.Tensor4D, k.toTensor() as tf.Tensor4D, tf.randomNormal([1, 1, 4, 4], 0, 1, 'float32', 3) as tf.Tensor4D];
}

await describeBackends(TEST_BACKENDS, (backend) => {
  it('NaN propagates the same way on every path: fused, reference, returnWeights, gradients', async () => {
    const [query, key, value] = inputs();
    const cleanKey = tf.tidy(() => tf.concat([key.slice([0, 0, 0, 0], [1, 1, 2, 4]), tf.ones([1, 1, 2, 4])], 2)) as tf.Tensor4D;
    const mask = paddingMask([2], 4).reshape([1, 1, 1, 4]) as tf.Tensor4D; // keys 0, 1 visible
    const seen: Record<string, string[]> = {};
    await expectNoLeaks(async () => {
      for (const [label, k, options] of [
        ['nan query row', cleanKey, {}],
        ['nan key', key, {}],
        ['nan key masked', key, { mask }],
      ] as const) {
        const fused = scaledDotProductAttention(query, k, value, options);
        const [withWeights, weights] = scaledDotProductAttention(query, k, value, { ...options, returnWeights: true });
        setAttentionFastPath(undefined);
        const reference = scaledDotProductAttention(query, k, value, options);
        setAttentionFastPath(fusedAttentionFastPath);
        const direct = fusedAttention(query, k, value, options);
        const composite = attentionReference(query, k, value, options);
        const grads = tf.grads((q: tf.Tensor) => scaledDotProductAttention(q, k, value, options).sum())([query]);
        for (const [name, tensor] of Object.entries({ fused, withWeights, weights, reference, direct, composite, dQuery: grads[0]! })) seen[`${label}: ${name}`] = await rows(tensor);
        tf.dispose([fused, withWeights, weights, reference, direct, composite, ...grads]);
      }
    });
    const expected = (label: string, pattern: string[], names = ['fused', 'withWeights', 'weights', 'reference', 'direct', 'composite', 'dQuery']) =>
      Object.fromEntries(names.map((name) => [`${label}: ${name}`, pattern]));
    // A masked key's NaN reaches every row, gradients included, as in PyTorch 1.13's
    // _scaled_dot_product_attention with a bool mask (an additive −∞: NaN + (−∞) = NaN); the
    // element-wise PyTorch comparison is @heed/backends' fused/attention-nan.test.ts.
    expect(seen, backend).toEqual({
      ...expected('nan query row', ['finite', 'nan', 'finite']),
      ...expected('nan key', ['nan', 'nan', 'nan']),
      ...expected('nan key masked', ['nan', 'nan', 'nan']),
    });
    tf.dispose([query, key, value, cleanKey, mask]);
  });
});
