import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackends, expectClose } from '../../testing/index';
import { fastTransposeKernels, registerFastTranspose, unregisterFastTranspose } from './simd-transpose';
import { canonicalTranspose } from './transpose-values';

const CASES: Array<[number[], number[]]> = [
  [[7, 5], [1, 0]],
  [[33, 70], [1, 0]],
  [[3, 4, 5], [0, 2, 1]],
  [[3, 4, 5], [2, 0, 1]],
  [[2, 5, 3, 4, 6], [2, 0, 3, 1, 4]],
  [[2, 3, 5, 4], [0, 2, 1, 3]],
  [[4, 1, 6, 1, 3], [4, 2, 0, 3, 1]],
  [[2, 3, 4, 5, 6, 2], [5, 3, 1, 0, 4, 2]],
  [[9], [0]],
];

describe('canonicalTranspose', () => {
  it('drops size-1 axes and merges axes that stay adjacent', () => {
    expect(canonicalTranspose([8, 1, 5], [2, 1, 0])).toEqual({ shape: [8, 5], perm: [1, 0] });
    expect(canonicalTranspose([2, 3, 4, 5], [0, 1, 3, 2])).toEqual({ shape: [6, 4, 5], perm: [0, 2, 1] });
    expect(canonicalTranspose([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
  });
});

await describeBackends(['wasm'], (backend) => {
  describe('fast transpose override', () => {
    afterAll(() => unregisterFastTranspose(backend));

    it('gives tfjs results for float32, int32 and bool on random shapes and permutations', async () => {
      let seed = 1;
      for (const [shape, perm] of CASES)
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          const x = tf.tidy(() => {
            const values = tf.randomUniform(shape, -5, 5, 'float32', seed++);
            return dtype === 'bool' ? tf.greater(values, 0) : tf.cast(values, dtype);
          });
          unregisterFastTranspose(backend);
          const stock = tf.transpose(x, perm);
          expect(registerFastTranspose(backend)).toEqual(['Transpose']);
          expect(fastTransposeKernels(backend)).toEqual(['Transpose']);
          const fast = tf.transpose(x, perm);
          expect(fast.dtype).toBe(dtype);
          await expectClose(fast, stock, { rtol: 0, atol: 0, label: `${dtype} [${shape}] perm [${perm}]` });
          tf.dispose([x, stock, fast]);
        }
    });
  });
});
