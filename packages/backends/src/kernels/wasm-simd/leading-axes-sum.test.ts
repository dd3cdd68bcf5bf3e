import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackends, expectClose } from '../../testing/index';
import { leadingAxesSumKernels, registerLeadingAxesSum, unregisterLeadingAxesSum } from './leading-axes-sum';

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
  });
});
