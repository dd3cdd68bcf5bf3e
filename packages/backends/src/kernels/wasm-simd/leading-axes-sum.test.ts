import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackends, expectClose } from '../../testing/index';
import { leadingAxesSumKernels, registerLeadingAxesSum, sumLeadingRows, unregisterLeadingAxesSum } from './leading-axes-sum';
import { loadSimdKernels, simdKernelsFailure } from './load-simd-kernels';

const CASES: Array<[number[], number | number[], boolean]> = [
  [[37, 11], 0, false],
  [[5, 7, 9], [0, 1], false],
  [[5, 7, 9], [1, 0], true],
  [[4, 3, 2, 6], [0, 1, 2], true],
  [[6, 5], -2, true],
  [[6, 5], 1, false], // trailing axis: tfjs' own kernel
  [[4, 3, 2], [0, 2], false], // not leading: tfjs' own kernel
  [[4, 3], [0, 1], false], // every axis: tfjs' own kernel
];

await describeBackends(['wasm'], (backend) => {
  describe('leading-axes Sum override', () => {
    afterAll(() => unregisterLeadingAxesSum(backend));

    it('gives the stock Sum for leading, trailing and mixed axes, with and without keepDims', async () => {
      let seed = 1;
      for (const [shape, axis, keepDims] of CASES) {
        const x = tf.randomNormal(shape, 0, 1, 'float32', seed++);
        unregisterLeadingAxesSum(backend);
        const stock = tf.sum(x, axis, keepDims);
        expect(registerLeadingAxesSum(backend)).toEqual(['Sum']);
        expect(leadingAxesSumKernels(backend)).toEqual(['Sum']);
        const fast = tf.sum(x, axis, keepDims);
        await expectClose(fast, stock, { rtol: 1e-5, atol: 1e-5, label: `[${shape}] axis ${axis} keepDims ${keepDims}` });
        tf.dispose([x, stock, fast]);
      }
    });

    it('sums in the SIMD module bit for bit as the float64 JavaScript reference (vector lanes and tails)', async () => {
      expect(await loadSimdKernels(), simdKernelsFailure()).toBe(true);
      registerLeadingAxesSum(backend);
      for (const [outer, inner] of [[300, 1027], [3, 5], [2048, 8]] as const) {
        const x = tf.randomNormal([outer, inner], 0, 10, 'float32', outer + inner);
        const expected = new Float32Array(inner);
        sumLeadingRows(x.dataSync() as Float32Array, outer, inner, expected);
        const sum = tf.sum(x, 0);
        expect(sum.dataSync(), `(${outer}, ${inner})`).toEqual(expected);
        tf.dispose([x, sum]);
      }
    });
  });
});
