import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { causalMask } from './causal-mask';

await describeBackends(TEST_BACKENDS, () => {
  it('equals torch.tril(torch.ones(T, S)).bool() for square and T != S', async () => {
    for (const [queries, keys] of [
      [3, 3],
      [2, 5],
      [4, 2],
    ] as const) {
      const mask = causalMask(queries, keys);
      expect(mask.shape).toEqual([queries, keys]);
      const values = await mask.array();
      mask.dispose();
      for (let i = 0; i < queries; i++) for (let j = 0; j < keys; j++) expect(values[i]![j]).toBe(j <= i ? 1 : 0);
    }
  });

  it('leaks nothing and rejects bad lengths by name', async () => {
    await expectNoLeaks(() => causalMask(5).dispose());
    expect(() => causalMask(0)).toThrow(/queryLength must be a positive integer; got 0/);
    expect(() => causalMask(2, 1.5)).toThrow(/keyLength must be a positive integer; got 1.5/);
  });
});

it('is a bool tensor', () => {
  const mask = causalMask(2);
  expect(mask.dtype).toBe('bool');
  tf.dispose(mask);
});
