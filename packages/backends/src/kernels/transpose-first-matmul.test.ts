import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackends, expectClose, expectNoLeaks } from '../testing/index';
import { overriddenKernels, registerTransposeFirstMatMul, unregisterTransposeFirstMatMul } from './transpose-first-matmul';

/** Runs `fn` once on the stock kernels and once on the transpose-first kernels; returns both. */
async function bothWays(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<[tf.Tensor[], tf.Tensor[]]> {
  const asArray = (value: tf.Tensor | tf.Tensor[]) => (Array.isArray(value) ? value : [value]);
  unregisterTransposeFirstMatMul(backend);
  const stock = asArray(fn());
  registerTransposeFirstMatMul(backend);
  expect(overriddenKernels(backend)).toEqual(['BatchMatMul', '_FusedMatMul']);
  const fast = asArray(fn());
  return [stock, fast];
}

const SHAPES: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [];
for (const transposeA of [false, true])
  for (const transposeB of [false, true]) {
    // 2-D, odd sizes
    SHAPES.push({ a: transposeA ? [7, 5] : [5, 7], b: transposeB ? [3, 7] : [7, 3], transposeA, transposeB });
    // batched, same batch
    SHAPES.push({ a: transposeA ? [2, 9, 4] : [2, 4, 9], b: transposeB ? [2, 6, 9] : [2, 9, 6], transposeA, transposeB });
    // broadcast batch: (2, 1, m, k) x (3, k, n)
    SHAPES.push({ a: transposeA ? [2, 1, 5, 4] : [2, 1, 4, 5], b: transposeB ? [3, 3, 5] : [3, 5, 3], transposeA, transposeB });
  }

await describeBackends(['cpu', 'wasm'], (backend) => {
  describe('transpose-first matmul override', () => {
    it('gives the stock kernel results for every transpose flag, batch and broadcast', async () => {
      let seed = 1;
      for (const { a: shapeA, b: shapeB, transposeA, transposeB } of SHAPES) {
        const a = tf.randomNormal(shapeA, 0, 1, 'float32', seed++);
        const b = tf.randomNormal(shapeB, 0, 1, 'float32', seed++);
        const [[stock], [fast]] = await bothWays(backend, () => tf.matMul(a, b, transposeA, transposeB));
        await expectClose(fast!, stock!, { rtol: 1e-5, atol: 1e-5, label: `${shapeA}x${shapeB} tA=${transposeA} tB=${transposeB}` });
        tf.dispose([a, b, stock!, fast!]);
      }
    });

    it('computes fused matmul (bias + relu) like the plain composite, for every transpose flag', async () => {
      // Reference: relu(a' @ b' + bias) with explicit transposes and no transpose flags. (The stock
      // tfjs 4.22 wasm _FusedMatMul gets transposeB + bias wrong; the override fixes it.)
      registerTransposeFirstMatMul(backend);
      let seed = 20;
      for (const transposeA of [false, true])
        for (const transposeB of [false, true]) {
          const a = tf.randomNormal(transposeA ? [5, 6] : [6, 5], 0, 1, 'float32', seed++);
          const b = tf.randomNormal(transposeB ? [4, 5] : [5, 4], 0, 1, 'float32', seed++);
          const bias = tf.randomNormal([4], 0, 1, 'float32', seed++);
          const fused = tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' });
          const reference = tf.tidy(() =>
            tf.relu(tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b).add(bias)),
          );
          await expectClose(fused, reference, { rtol: 1e-5, atol: 1e-5, label: `fused tA=${transposeA} tB=${transposeB}` });
          tf.dispose([a, b, bias, fused, reference]);
        }
    });

    it('gives the stock matmul gradients', async () => {
      // Same batch on both sides: tfjs 4.22's BatchMatMul gradient does not reduce broadcast batches.
      const a = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 11);
      const b = tf.randomNormal([3, 4, 5], 0, 1, 'float32', 12);
      const [stock, fast] = await bothWays(backend, () =>
        tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, false, true).square().sum())([a, b]),
      );
      for (let index = 0; index < stock.length; index++) await expectClose(fast[index]!, stock[index]!, { rtol: 1e-5, atol: 1e-4 });
      tf.dispose([a, b, ...stock, ...fast]);
    });

    it('frees its transposed copies', async () => {
      registerTransposeFirstMatMul(backend);
      const a = tf.randomNormal([3, 8, 4]);
      const b = tf.randomNormal([3, 5, 4]);
      await expectNoLeaks(() => tf.matMul(a, b, false, true).dispose(), 'matMul(a, b, false, true)');
      const bytesBefore = tf.memory().numBytes;
      tf.matMul(a, b, false, true).dispose();
      expect(tf.memory().numBytes).toBe(bytesBefore);
      tf.dispose([a, b]);
    });
  });
});
