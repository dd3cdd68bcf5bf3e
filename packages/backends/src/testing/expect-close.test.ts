import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectClose } from './expect-close';

describe('expectClose', () => {
  it('passes within atol + rtol·|expected|', async () => {
    await expectClose([1, 2, 3], [1, 2, 3.00002], { rtol: 1e-5, atol: 0 });
    await expectClose(tf.tensor([0.1, NaN]), tf.tensor([0.1000001, NaN]), { rtol: 0, atol: 1e-6 });
  });

  it('names the worst element, its index, the values and the count', async () => {
    const actual = tf.tensor2d([
      [0, 1, 2],
      [3, 4.5, 5.01],
    ]);
    const expected = tf.tensor2d([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    await expect(expectClose(actual, expected, { rtol: 0, atol: 1e-3, label: 'scores' })).rejects.toThrow(
      'scores: 2 of 6 elements differ beyond rtol=0, atol=0.001; worst at index [1, 1]: actual 4.5, expected 4 (|diff| = 0.5)',
    );
    tf.dispose([actual, expected]);
  });

  it('rejects shape and size mismatches and NaN against a number', async () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 2]);
    await expect(expectClose(a, b)).rejects.toThrow('shape mismatch: actual [2,3] vs expected [3,2]');
    await expect(expectClose([1, 2], [1])).rejects.toThrow('size mismatch: actual has 2 elements, expected 1');
    await expect(expectClose([NaN], [0])).rejects.toThrow(/worst at index \[0\]: actual NaN, expected 0/);
    tf.dispose([a, b]);
  });
});
