import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { simdHeap } from '../kernels/wasm-simd/load-simd-kernels';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '../testing/index';
import { fusedLayerNorm, FusedLayerNorm, hasFusedLayerNormKernel, layerNormGradJs, layerNormJs, layerNormReference, registerFusedLayerNorm, unregisterFusedLayerNorm } from './fused-layer-norm';

// PyTorch 1.13 F.layer_norm(x, (5,), gamma, beta, eps=0.1) in float64 on x[r][c] = 2·sin(1.3(5r + c)),
// gamma[c] = 1 + 0.1·cos(c), beta[c] = 0.05c, and the gradients of sum(y · dy), dy[r][c] = cos(0.7(5r + c))
const [ROWS, DIM] = [3, 5];
const grid = (f: (index: number) => number) => Array.from({ length: ROWS * DIM }, (_, index) => f(index));
const TORCH_Y = [0.0282751483, 1.49342474, 0.813610514, -0.691011235, -0.927466148, 0.349924941, 1.54489737, 0.544814885, -0.882985499, -0.785128635, 0.657533782, 1.5219784, 0.25078869, -1.02525839, -0.591847444];
const TORCH_DX = [0.654879961, -0.0635367824, -0.273279864, -0.0627398078, -0.255323507, -0.637058322, 0.150372445, 0.268402918, 0.00844438965, 0.209838569, 0.547830291, -0.203572847, -0.232680107, 0.0301080219, -0.141685358];
const TORCH_DGAMMA = [0.17845618, 0.566269842, 0.131419963, 0.81825759, 0.871024015];
const TORCH_DBETA = [0.817445567, 0.427955228, -0.162809142, -0.677001828, -0.872789976];

async function kernelsOf(run: () => tf.Tensor): Promise<string[]> {
  const profile = await tf.profile(() => run());
  return profile.kernels.map((kernel) => kernel.name);
}

/** The gradients of sum(norm(x, gamma, beta) · dy) w.r.t. x, gamma and beta. */
function gradients(norm: typeof fusedLayerNorm, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, dy: tf.Tensor, epsilon: number): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => norm(a, b, c, epsilon).mul(dy).sum())([x, gamma, beta]);
}

await describeBackends(TEST_BACKENDS, (backend) => {
  const fused = backend === 'cpu' || backend === 'wasm';

  describe('fusedLayerNorm', () => {
    it("equals PyTorch's F.layer_norm (eps 0.1) and its gradients w.r.t. x, gamma and beta", async () => {
      const x = tf.tensor2d(grid((i) => 2 * Math.sin(1.3 * i)), [ROWS, DIM]);
      const gamma = tf.tensor1d(Array.from({ length: DIM }, (_, c) => 1 + 0.1 * Math.cos(c)));
      const beta = tf.tensor1d(Array.from({ length: DIM }, (_, c) => 0.05 * c));
      const dy = tf.tensor2d(grid((i) => Math.cos(0.7 * i)), [ROWS, DIM]);
      const y = fusedLayerNorm(x, gamma, beta, 0.1);
      const [dx, dGamma, dBeta] = gradients(fusedLayerNorm, x, gamma, beta, dy, 0.1);
      const close = { rtol: 1e-5, atol: 1e-6 };
      await expectClose(y, tf.tensor2d(TORCH_Y, [ROWS, DIM]), { ...close, label: `${backend} y` });
      await expectClose(dx as tf.Tensor, tf.tensor2d(TORCH_DX, [ROWS, DIM]), { ...close, label: `${backend} dx` });
      await expectClose(dGamma as tf.Tensor, tf.tensor1d(TORCH_DGAMMA), { ...close, label: `${backend} dGamma` });
      await expectClose(dBeta as tf.Tensor, tf.tensor1d(TORCH_DBETA), { ...close, label: `${backend} dBeta` });
      tf.dispose([x, gamma, beta, dy, y, dx, dGamma, dBeta] as tf.Tensor[]);
    });

    it('matches the composite reference forward and backward on rank 3 with an odd last axis (vector lanes and a tail), eps 1e-12', async () => {
      const x = tf.randomNormal([4, 9, 131], 0.5, 2, 'float32', 11);
      const gamma = tf.randomNormal([131], 1, 0.2, 'float32', 12);
      const beta = tf.randomNormal([131], 0, 0.2, 'float32', 13);
      const dy = tf.randomNormal([4, 9, 131], 0, 1, 'float32', 14);
      const [y, expectedY] = [fusedLayerNorm(x, gamma, beta, 1e-12), layerNormReference(x, gamma, beta, 1e-12)];
      const actual = gradients(fusedLayerNorm, x, gamma, beta, dy, 1e-12);
      const expected = gradients(layerNormReference, x, gamma, beta, dy, 1e-12);
      await expectClose(y, expectedY, { rtol: 1e-4, atol: 1e-5, label: `${backend} forward` });
      for (const [index, name] of ['dx', 'dGamma', 'dBeta'].entries()) {
        await expectClose(actual[index] as tf.Tensor, expected[index] as tf.Tensor, { rtol: 1e-4, atol: 1e-4, label: `${backend} ${name}` });
      }
      tf.dispose([x, gamma, beta, dy, y, expectedY, ...actual, ...expected]);
    });

    it(`runs ${fused ? 'one fused kernel' : 'the composite reference'} on ${backend}, and leaks no tensors`, async () => {
      const x = tf.randomNormal([6, 8], 0, 1, 'float32', 15);
      const [gamma, beta] = [tf.ones([8]), tf.zeros([8])];
      const names = await kernelsOf(() => fusedLayerNorm(x, gamma, beta));
      if (fused) expect(names).toEqual([FusedLayerNorm]);
      else expect(names).not.toContain(FusedLayerNorm);
      await expectNoLeaks(() => {
        tf.dispose(fusedLayerNorm(x, gamma, beta));
        tf.dispose(gradients(fusedLayerNorm, x, gamma, beta, x, 1e-5));
        tf.dispose(tf.grad((a: tf.Tensor) => fusedLayerNorm(a, gamma, beta).sum())(x)); // only dx asked for
      });
      tf.dispose([x, gamma, beta]);
    });

    it('rejects bad arguments, naming them with expected and actual values', () => {
      const x = tf.zeros([2, 4]);
      const [gamma, beta] = [tf.ones([4]), tf.zeros([4])];
      expect(() => fusedLayerNorm(x, tf.ones([3]), beta)).toThrow('fusedLayerNorm: gamma [3] and beta [4] must be (4,) for x [2,4]');
      expect(() => fusedLayerNorm(x, gamma, beta, -1)).toThrow(/fusedLayerNorm: epsilon must be a non-negative finite number .*; got -1/);
      expect(() => fusedLayerNorm([1] as unknown as tf.Tensor, gamma, beta)).toThrow(/fusedLayerNorm: x must be a tf.Tensor/);
      tf.dispose([x, gamma, beta]);
    });

    if (fused) {
      it('runs the composite reference once its kernels are unregistered, and the kernel again once re-registered', async () => {
        const x = tf.randomNormal([2, 4], 0, 1, 'float32', 16);
        const [gamma, beta] = [tf.ones([4]), tf.zeros([4])];
        unregisterFusedLayerNorm();
        try {
          expect(hasFusedLayerNormKernel(backend)).toBe(false);
          expect(await kernelsOf(() => fusedLayerNorm(x, gamma, beta))).not.toContain(FusedLayerNorm);
        } finally {
          registerFusedLayerNorm();
        }
        expect(await kernelsOf(() => fusedLayerNorm(x, gamma, beta))).toEqual([FusedLayerNorm]);
        tf.dispose([x, gamma, beta]);
      });
    }
  });
});

describe('fused layer normalization cores', () => {
  it('the WebAssembly SIMD kernels equal the JavaScript core (float64 statistics) within float32 rounding, on both builds', () => {
    const heap = simdHeap();
    if (!heap) throw new Error('the SIMD kernels are not loaded'); // describeBackends' wasm suite loaded them
    const [rows, dim, epsilon] = [37, 71, 1e-5]; // a tail of 3 per row
    const x = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 0.37) * 3 + 1);
    const gamma = Float32Array.from({ length: dim }, (_, c) => 1 + Math.cos(c) / 4);
    const beta = Float32Array.from({ length: dim }, (_, c) => Math.sin(c) / 4);
    const dy = Float32Array.from({ length: rows * dim }, (_, i) => Math.cos(i * 0.61));
    const [y, dx, dGamma, dBeta] = [new Float32Array(rows * dim), new Float32Array(rows * dim), new Float32Array(dim), new Float32Array(dim)];
    layerNormJs(x, gamma, beta, dim, epsilon, y);
    layerNormGradJs(x, gamma, dy, dim, epsilon, dx, dGamma, dBeta);
    heap.reset();
    const [xs, gammas, betas, dys] = [heap.copyIn(x), heap.copyIn(gamma), heap.copyIn(beta), heap.copyIn(dy)];
    const [ys, dxs, dGammas, dBetas, stats] = [heap.reserve(rows * dim), heap.reserve(rows * dim), heap.reserve(dim), heap.reserve(dim), heap.reserve(4)];
    heap.view(dGammas, dim).fill(0);
    heap.view(dBetas, dim).fill(0);
    heap.exports.layerNormForward(xs, gammas, betas, ys, rows, dim, epsilon, stats);
    heap.exports.layerNormBackward(xs, gammas, dys, dxs, dGammas, dBetas, rows, dim, epsilon, stats);
    const within = (actual: Float32Array, expected: Float32Array, tolerance: number, label: string) => {
      for (let i = 0; i < expected.length; i++) expect(Math.abs((actual[i] as number) - (expected[i] as number)), `${label}[${i}]`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i] as number)));
    };
    within(heap.view(ys, rows * dim), y, 2e-6, 'y');
    within(heap.view(dxs, rows * dim), dx, 1e-5, 'dx');
    within(heap.view(dGammas, dim), dGamma, 1e-5, 'dGamma');
    within(heap.view(dBetas, dim), dBeta, 1e-5, 'dBeta');
  });
});
