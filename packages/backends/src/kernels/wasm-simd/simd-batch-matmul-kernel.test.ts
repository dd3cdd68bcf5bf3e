import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackends, expectClose } from '../../testing/index';
import { loadSimdKernels } from './load-simd-kernels';
import { registerSimdBatchMatMul, simdBatchMatMulKernels, unregisterSimdBatchMatMul } from './simd-batch-matmul-kernel';

/** [a shape, b shape] of op(A)·op(B) before transposes, for every transpose flag. */
const SHAPES: Array<[number[], number[]]> = [
  [[7, 5], [5, 9]], // 2-D: the SIMD GEMM runs only with a transpose flag
  [[3, 5, 7], [3, 7, 9]], // odd m, n, k
  [[2, 4, 33], [2, 33, 16]], // n multiple of 8
  [[4, 1, 300], [4, 300, 13]], // k > one 256 block
  [[2, 3, 70, 6], [2, 3, 6, 11]], // rank 4, m > one 64 block
  [[1, 6, 5], [4, 5, 3]], // broadcast a
  [[5, 6, 5], [5, 3]], // broadcast b (rank 2)
];

await describeBackends(['wasm'], (backend) => {
  describe('SIMD batched matmul override', () => {
    afterAll(() => unregisterSimdBatchMatMul(backend));

    it('gives the previous kernel results for every transpose flag, batch and broadcast', async () => {
      expect(await loadSimdKernels()).toBe(true);
      let seed = 1;
      for (const [shapeA, shapeB] of SHAPES)
        for (const transposeA of [false, true])
          for (const transposeB of [false, true]) {
            const swap = (shape: number[], flag: boolean) => (flag ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape);
            const a = tf.randomNormal(swap(shapeA, transposeA), 0, 1, 'float32', seed++);
            const b = tf.randomNormal(swap(shapeB, transposeB), 0, 1, 'float32', seed++);
            unregisterSimdBatchMatMul(backend);
            const stock = tf.matMul(a, b, transposeA, transposeB);
            expect(registerSimdBatchMatMul(backend)).toEqual(['BatchMatMul']);
            expect(simdBatchMatMulKernels(backend)).toEqual(['BatchMatMul']);
            const fast = tf.matMul(a, b, transposeA, transposeB);
            await expectClose(fast, stock, { rtol: 1e-4, atol: 1e-4, label: `[${shapeA}]x[${shapeB}] tA=${transposeA} tB=${transposeB}` });
            tf.dispose([a, b, stock, fast]);
          }
    });
  });
});
