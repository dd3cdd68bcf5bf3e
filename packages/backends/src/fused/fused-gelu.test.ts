import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { simdHeap } from '../kernels/wasm-simd/load-simd-kernels';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '../testing/index';
import { fusedGelu, FusedGelu, geluJs, geluGradJs, geluReference, hasFusedGeluKernel, registerFusedGelu, unregisterFusedGelu } from './fused-gelu';

// PyTorch 1.13 nn.functional.gelu (exact erf) in float64, and its derivative (autograd)
const POINTS = [-12, -6, -3.5, -2, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 1, 2, 3.5, 6, 12];
const TORCH_GELU = [-0, -5.91952587e-9, -0.000814201777, -0.0455002639, -0.158655254, -0.154268769, -0.000499601058, 0, 0.000500398942, 0.345731231, 0.841344746, 1.95449974, 3.4991858, 5.99999999, 12];
const TORCH_GRAD = [-2.57566048e-31, -3.54687095e-8, -0.00282176035, -0.0852318011, -0.0833154706, 0.132504875, 0.499202116, 0.5, 0.500797884, 0.867495125, 1.08331547, 1.0852318, 1.00282176, 1.00000004, 1];

/** Kernel names one call of `run` dispatches. */
async function kernelsOf(run: () => tf.Tensor): Promise<string[]> {
  const profile = await tf.profile(() => run());
  return profile.kernels.map((kernel) => kernel.name);
}

await describeBackends(TEST_BACKENDS, (backend) => {
  const fused = backend === 'cpu' || backend === 'wasm';

  describe('fusedGelu', () => {
    it("equals PyTorch's exact GELU and its gradient at points across its range", async () => {
      const x = tf.tensor1d(POINTS);
      const [y, dx] = [fusedGelu(x), tf.grad((input: tf.Tensor) => fusedGelu(input).sum())(x)];
      await expectClose(y, tf.tensor1d(TORCH_GELU), { rtol: 1e-5, atol: 2e-7, label: `${backend} gelu` });
      await expectClose(dx, tf.tensor1d(TORCH_GRAD), { rtol: 1e-5, atol: 2e-7, label: `${backend} gelu gradient` });
      tf.dispose([x, y, dx]);
    });

    it('matches the composite reference forward and backward on an odd-sized tensor (vector lanes and a tail)', async () => {
      const x = tf.randomNormal([7, 3, 37], 0, 2.5, 'float32', 5);
      const dy = tf.randomNormal([7, 3, 37], 0, 1, 'float32', 6);
      const gradient = (gelu: (input: tf.Tensor) => tf.Tensor) => tf.grad((input: tf.Tensor) => gelu(input).mul(dy).sum())(x);
      const [y, expectedY] = [fusedGelu(x), geluReference(x)];
      const [dx, expectedDx] = [gradient(fusedGelu), gradient(geluReference)];
      await expectClose(y, expectedY, { rtol: 1e-5, atol: 1e-6, label: `${backend} forward` });
      await expectClose(dx, expectedDx, { rtol: 1e-4, atol: 1e-6, label: `${backend} backward` });
      tf.dispose([x, dy, y, expectedY, dx, expectedDx]);
    });

    it(`runs ${fused ? 'one fused kernel' : 'the composite reference'} on ${backend}, and NaN in gives NaN out`, async () => {
      const x = tf.tensor1d([NaN, 1, -1, 0.5, NaN]);
      const names = await kernelsOf(() => fusedGelu(x));
      if (fused) expect(names).toEqual([FusedGelu]);
      else expect(names).not.toContain(FusedGelu);
      const y = fusedGelu(x);
      const values = await y.data();
      expect(Number.isNaN(values[0]) && Number.isNaN(values[4])).toBe(true);
      expect(values[1]).toBeCloseTo(0.841344746, 6);
      tf.dispose([x, y]);
    });

    it('leaks no tensors forward or backward, and rejects a non-tensor by name', async () => {
      const x = tf.randomNormal([5, 9], 0, 1, 'float32', 7);
      await expectNoLeaks(() => {
        tf.dispose(fusedGelu(x));
        tf.dispose(tf.grad((input: tf.Tensor) => fusedGelu(input).sum())(x));
      });
      x.dispose();
      expect(() => fusedGelu([1, 2] as unknown as tf.Tensor)).toThrow(/fusedGelu: x must be a tf.Tensor; got object/);
    });

    if (fused) {
      it('runs the composite reference once its kernels are unregistered, and the kernels again once re-registered', async () => {
        const x = tf.tensor1d([0.25, -0.75]);
        unregisterFusedGelu();
        try {
          expect(hasFusedGeluKernel(backend)).toBe(false);
          expect(await kernelsOf(() => fusedGelu(x))).not.toContain(FusedGelu);
        } finally {
          registerFusedGelu();
        }
        expect(await kernelsOf(() => fusedGelu(x))).toEqual([FusedGelu]);
        x.dispose();
      });
    }
  });
});

describe('fused GELU cores', () => {
  it('the WebAssembly SIMD kernels equal the JavaScript core within float32 rounding, on both builds', () => {
    const heap = simdHeap();
    if (!heap) throw new Error('the SIMD kernels are not loaded'); // describeBackends' wasm suite loaded them
    const count = 1003; // vector lanes and a tail of 3
    const x = Float32Array.from({ length: count }, (_, index) => (index - 501) / 40);
    const dy = Float32Array.from({ length: count }, (_, index) => Math.cos(index));
    const [y, dx] = [new Float32Array(count), new Float32Array(count)];
    geluJs(x, y);
    geluGradJs(x, dy, dx);
    heap.reset();
    const [xs, dys, ys, dxs] = [heap.copyIn(x), heap.copyIn(dy), heap.reserve(count), heap.reserve(count)];
    heap.exports.geluForward(xs, ys, count);
    heap.exports.geluBackward(xs, dys, dxs, count);
    const simdY = heap.view(ys, count);
    const simdDx = heap.view(dxs, count);
    for (let index = 0; index < count; index++) {
      expect(Math.abs((simdY[index] as number) - (y[index] as number)), `y[${index}]`).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(y[index] as number)));
      expect(Math.abs((simdDx[index] as number) - (dx[index] as number)), `dx[${index}]`).toBeLessThanOrEqual(4e-7 * Math.max(1, Math.abs(dx[index] as number)));
    }
  });
});
