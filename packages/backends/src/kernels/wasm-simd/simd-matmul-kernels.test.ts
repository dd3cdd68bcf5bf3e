import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackends, expectClose } from '../../testing/index';
import { loadSimdKernels, simdHeap } from './load-simd-kernels';
import { registerSimdMatMul, simdMatMulKernels, unregisterSimdMatMul } from './simd-matmul-kernels';

/** [a shape, b shape] of op(A)·op(B) before transposes, for every transpose flag. */
const SHAPES: Array<[number[], number[]]> = [
  [[7, 5], [5, 9]], // 2-D, odd
  [[3, 5, 7], [3, 7, 9]], // odd m, n, k
  [[2, 4, 33], [2, 33, 16]], // n multiple of 8
  [[4, 1, 300], [4, 300, 13]], // k > one 256 block
  [[2, 3, 70, 6], [2, 3, 6, 11]], // rank 4, m > one 64 block, split between threads
  [[1, 6, 5], [4, 5, 3]], // broadcast a
  [[5, 6, 5], [5, 3]], // broadcast b (rank 2)
];

const swap = (shape: number[], flag: boolean) => (flag ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape);

await describeBackends(['wasm'], (backend) => {
  describe('SIMD GEMM matmul overrides', () => {
    afterAll(() => unregisterSimdMatMul(backend));

    it('gives the previous BatchMatMul results for every transpose flag, batch and broadcast', async () => {
      expect(await loadSimdKernels()).toBe(true);
      const heap = simdHeap();
      if (heap) heap.minThreadedWork = 0; // these shapes are small: split them between threads anyway
      let seed = 1;
      for (const [shapeA, shapeB] of SHAPES)
        for (const transposeA of [false, true])
          for (const transposeB of [false, true]) {
            const a = tf.randomNormal(swap(shapeA, transposeA), 0, 1, 'float32', seed++);
            const b = tf.randomNormal(swap(shapeB, transposeB), 0, 1, 'float32', seed++);
            unregisterSimdMatMul(backend);
            const stock = tf.matMul(a, b, transposeA, transposeB);
            expect(registerSimdMatMul(backend)).toEqual(['BatchMatMul', '_FusedMatMul']);
            expect(simdMatMulKernels(backend)).toEqual(['BatchMatMul', '_FusedMatMul']);
            const fast = tf.matMul(a, b, transposeA, transposeB);
            await expectClose(fast, stock, { rtol: 1e-4, atol: 1e-4, label: `[${shapeA}]x[${shapeB}] tA=${transposeA} tB=${transposeB}` });
            tf.dispose([a, b, stock, fast]);
          }
    });

    it('computes fused matmul with bias and relu/linear like the composite, and keeps other activations', async () => {
      let seed = 100;
      registerSimdMatMul(backend);
      for (const [shapeA, shapeB] of SHAPES.slice(0, 3))
        for (const transposeA of [false, true])
          for (const transposeB of [false, true])
            for (const activation of ['linear', 'relu', 'elu'] as const) {
              // elu goes to the previous kernel, which (stock tfjs 4.22 wasm) is only right in 2-D
              if (activation === 'elu' && shapeA.length > 2) continue;
              const a = tf.randomNormal(swap(shapeA, transposeA), 0, 1, 'float32', seed++);
              const b = tf.randomNormal(swap(shapeB, transposeB), 0, 1, 'float32', seed++);
              const bias = tf.randomNormal([shapeB.at(-1)!], 0, 1, 'float32', seed++);
              const fused = tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation });
              const reference = tf.tidy(() => {
                const sum = tf.matMul(transposeA ? tf.transpose(a, swap([...a.shape.keys()], true)) : a, transposeB ? tf.transpose(b, swap([...b.shape.keys()], true)) : b).add(bias);
                return activation === 'relu' ? tf.relu(sum) : activation === 'elu' ? tf.elu(sum) : sum;
              });
              await expectClose(fused, reference, { rtol: 1e-4, atol: 1e-4, label: `fused ${activation} [${shapeA}]x[${shapeB}] tA=${transposeA} tB=${transposeB}` });
              tf.dispose([a, b, bias, fused, reference]);
            }
    });
  });
});
