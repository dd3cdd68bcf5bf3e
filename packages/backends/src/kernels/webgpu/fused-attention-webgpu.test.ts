import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attentionForwardJs } from '../../fused/attention-forward-js';
import { attentionReference, type AttentionOptions } from '../../fused/attention-reference';
import { fusedAttention } from '../../fused/fused-attention';
import { FusedAttention, FusedAttentionGrad } from '../../fused/fused-attention-kernel';
import { hasFusedAttentionKernel } from '../../fused/register-fused-attention';
import { describeBackends, expectClose, expectNoLeaks } from '../../testing/index';
import { overrideAttentionLimits, setAttentionTilePreference } from './attention-tiles';
import { initBackend } from '../../init-backend';
import { registerWebGpuKernels, unregisterWebGpuKernels } from './register-webgpu-kernels';

interface Case {
  name: string;
  shape: [batch: number, heads: number, queryLength: number, keyLength: number, depth: number];
  options: (seed: number) => AttentionOptions;
}

const randomMask = (shape: number[], keep: number, seed: number) => tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed), keep);

const CASES: Case[] = [
  { name: 'plain, T != S, odd depth', shape: [2, 2, 5, 7, 3], options: () => ({}) },
  { name: 'longer than one tile, scale', shape: [1, 2, 33, 29, 8], options: () => ({ scale: 0.3 }) },
  { name: 'causal, T > S', shape: [1, 2, 21, 17, 5], options: () => ({ causal: true }) },
  { name: 'causal + window', shape: [2, 1, 33, 33, 16], options: () => ({ causal: true, window: 4 }) },
  { name: 'window, T < S', shape: [1, 1, 9, 31, 4], options: () => ({ window: 3 }) },
  { name: 'D 64 (vec4 rows), T < S', shape: [1, 1, 7, 37, 64], options: () => ({ scale: 0.2 }) },
  { name: 'full random mask', shape: [2, 2, 6, 19, 4], options: (seed) => ({ mask: randomMask([2, 2, 6, 19], 0.5, seed) }) },
  {
    name: 'padding mask (B, 1, 1, S) with a fully padded batch',
    shape: [2, 2, 7, 5, 6],
    options: () => ({ mask: tf.tensor4d([1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [2, 1, 1, 5]) }),
  },
  {
    name: 'rank-2 (T, S) mask with fully masked rows, causal',
    shape: [1, 2, 5, 6, 3],
    options: () => ({
      causal: true,
      mask: tf.tensor2d([1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [5, 6], 'bool'),
    }),
  },
];

function inputs(shape: Case['shape'], seed: number) {
  const [batch, heads, queryLength, keyLength, depth] = shape;
  return {
    query: tf.randomNormal([batch, heads, queryLength, depth], 0, 1, 'float32', seed) as tf.Tensor4D,
    key: tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed + 1) as tf.Tensor4D,
    value: tf.randomNormal([batch, heads, keyLength, depth], 0, 1, 'float32', seed + 2) as tf.Tensor4D,
    upstream: tf.randomNormal([batch, heads, queryLength, depth], 0, 1, 'float32', seed + 3) as tf.Tensor4D,
  };
}

/** Generous limits that the small-limit tests shrink one at a time. */
const LARGE = {
  maxComputeWorkgroupStorageSize: 32768,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupSizeX: 1024,
  maxStorageBufferBindingSize: 2 ** 30,
};

const device = () => (tf.backend() as unknown as { device: GPUDevice }).device;

/** Forward and all three gradients of fused vs composite on one case, with no WebGPU validation error. */
async function compareWithReference(testCase: Case, seed: number, label: string): Promise<void> {
  device().pushErrorScope('validation');
  const { query, key, value, upstream } = inputs(testCase.shape, seed);
  const options = testCase.options(seed + 4);
  const fused = fusedAttention(query, key, value, options);
  const reference = attentionReference(query, key, value, options);
  await expectClose(fused, reference, { rtol: 1e-4, atol: 1e-5, label: `${label} ${testCase.name} forward` });
  const loss = (attention: typeof fusedAttention) => (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
    attention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, options).mul(upstream).sum();
  const fusedGrads = tf.grads(loss(fusedAttention))([query, key, value]);
  const referenceGrads = tf.grads(loss(attentionReference))([query, key, value]);
  for (const [index, name] of ['dQuery', 'dKey', 'dValue'].entries()) {
    await expectClose(fusedGrads[index]!, referenceGrads[index]!, { rtol: 1e-3, atol: 1e-4, label: `${label} ${testCase.name} ${name}` });
  }
  tf.dispose([query, key, value, upstream, fused, reference, ...fusedGrads, ...referenceGrads, options.mask ?? []]);
  const error = await device().popErrorScope();
  expect(error?.message, `${label} ${testCase.name}: WebGPU validation error`).toBeUndefined();
}

await describeBackends(['webgpu'], () => {
  describe('fusedAttention WGSL kernels', () => {
    afterEach(() => {
      overrideAttentionLimits(undefined);
      setAttentionTilePreference(undefined);
      vi.restoreAllMocks();
    });

    it('are registered by initBackend and used by fusedAttention', async () => {
      expect(hasFusedAttentionKernel('webgpu')).toBe(true);
      const report = await initBackend({ backend: 'webgpu' });
      expect(report.kernelOverrides).toEqual([FusedAttention, FusedAttentionGrad]);
      unregisterWebGpuKernels();
      expect(hasFusedAttentionKernel('webgpu')).toBe(false);
      expect(registerWebGpuKernels()).toEqual([FusedAttention, FusedAttentionGrad]);
    });

    it('match the composite reference forward and backward (odd shapes, T != S, masks, causal, window)', async () => {
      let seed = 1000;
      for (const testCase of CASES) await compareWithReference(testCase, (seed += 10), 'webgpu');
    });

    it('save the same log-sum-exp as the cpu/wasm kernels (−Infinity for fully masked rows)', async () => {
      const { query, key, value, upstream } = inputs([2, 1, 4, 5, 3], 77);
      const mask = tf.tensor4d([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [2, 1, 1, 5]);
      const attrs = { scale: 0.6, causal: true, window: -1 };
      const [output, logSumExp] = tf.engine().runKernel(FusedAttention, { query, key, value, mask }, attrs) as tf.Tensor[];
      const expected = attentionForwardJs({
        batch: 2, heads: 1, queryLength: 4, keyLength: 5, depth: 3, ...attrs,
        query: (await query.data()) as Float32Array,
        key: (await key.data()) as Float32Array,
        value: (await value.data()) as Float32Array,
        mask: (await mask.data()) as Float32Array,
        maskShape: [2, 1, 1, 5],
      });
      await expectClose(output!, expected.output, { rtol: 1e-5, atol: 1e-6, label: 'output' });
      const lse = await logSumExp!.data();
      expect(Array.from(lse.slice(4))).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
      await expectClose(lse.slice(0, 4), expected.logSumExp.slice(0, 4), { rtol: 1e-5, atol: 1e-6, label: 'logSumExp' });
      tf.dispose([query, key, value, upstream, mask, output!, logSumExp!]);
    });

    it('give gradients that agree with central finite differences', async () => {
      const { query, key, value, upstream } = inputs([1, 2, 6, 9, 4], 300);
      const mask = randomMask([1, 1, 6, 9], 0.7, 301);
      const options = { mask, window: 5 };
      const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
        fusedAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, options).mul(upstream).sum();
      const grads = tf.grads(loss)([query, key, value]);
      const epsilon = 1e-2;
      for (const [index, name] of ['query', 'key', 'value'].entries()) {
        const direction = tf.randomNormal(query.shape.slice(0, 2).concat([index === 0 ? 6 : 9, 4]), 0, 1, 'float32', 310 + index);
        const shifted = (sign: number) => {
          const args = [query, key, value].map((tensor, at) => (at === index ? tensor.add(direction.mul(sign * epsilon)) : tensor));
          return loss(args[0]!, args[1]!, args[2]!);
        };
        const [plus, minus] = [shifted(1), shifted(-1)];
        const numeric = ((await plus.data())[0]! - (await minus.data())[0]!) / (2 * epsilon);
        const analytic = grads[index]!.mul(direction).sum();
        await expectClose(numeric, analytic, { rtol: 1e-2, atol: 1e-3, label: `d/d${name} finite difference` });
        tf.dispose([direction, plus, minus, analytic]);
      }
      tf.dispose([query, key, value, upstream, mask, ...grads]);
    });

    it('give zeros, not NaN, for fully masked rows, and no gradient through them', async () => {
      const { query, key, value, upstream } = inputs([1, 1, 3, 5, 4], 500);
      const mask = tf.zeros([1, 1, 3, 5], 'bool');
      const output = fusedAttention(query, key, value, { mask });
      await expectClose(output, tf.zeros([1, 1, 3, 4]));
      const grads = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
        fusedAttention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D, { mask }).sum(),
      )([query, key, value]);
      for (const gradient of grads) await expectClose(gradient, tf.zerosLike(gradient));
      tf.dispose([query, key, value, upstream, mask, output, ...grads]);
    });

    it('fall back to smaller tiles, or to global-memory reads, with one warning when adapter limits are small', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const testCase = CASES[3]!; // causal + window, 33 x 33, D 16
      // 40 bytes: no room for one 16-wide key+value row; 4 invocations
      overrideAttentionLimits({ ...LARGE, maxComputeWorkgroupStorageSize: 40, maxComputeInvocationsPerWorkgroup: 4, maxComputeWorkgroupSizeX: 4 });
      await compareWithReference(testCase, 700, 'no shared memory');
      await compareWithReference(testCase, 710, 'no shared memory, again');
      await compareWithReference(CASES[2]!, 715, 'no shared memory, odd depth (scalar rows)');
      const unshared = warn.mock.calls.filter(([message]) => /global memory/.test(String(message)));
      expect(unshared.length).toBe(3); // once per program (forward, dQuery, dKey/dValue), not per call
      // room for 2-row tiles only, 8 invocations
      overrideAttentionLimits({ ...LARGE, maxComputeWorkgroupStorageSize: 16 + 2 * 8 * 16 + 16, maxComputeInvocationsPerWorkgroup: 8 });
      await compareWithReference(testCase, 720, 'tiny tiles');
      await compareWithReference(CASES[6]!, 730, 'tiny tiles');
    });

    it('compute each output in its own pass when a packed output buffer would exceed maxStorageBufferBindingSize', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      // 66 x (16 + 1) floats of output|logSumExp (4488 bytes) and 2 x 1056 of dK|dV: neither fits 4 KiB
      // (the limit is simulated: only heed's planning sees it).
      overrideAttentionLimits({ ...LARGE, maxStorageBufferBindingSize: 4096 });
      await compareWithReference(CASES[3]!, 740, 'split outputs');
      expect(warn.mock.calls.filter(([message]) => /own pass/.test(String(message))).length).toBe(2);
    });

    it('stay exact under other tile preferences (the bench tuning knob)', async () => {
      setAttentionTilePreference({ threads: 128, tile: 8 });
      await compareWithReference(CASES[1]!, 760, 'threads 128, tile 8');
      setAttentionTilePreference({ threads: 16, tile: 64 });
      await compareWithReference(CASES[1]!, 770, 'threads 16, tile 64');
    });

    it('leak no tensors forward or backward', async () => {
      const { query, key, value, upstream } = inputs([1, 2, 3, 5, 4], 900);
      const mask = tf.ones([5], 'bool');
      await expectNoLeaks(() => fusedAttention(query, key, value, { mask, causal: true }).dispose(), 'forward');
      await expectNoLeaks(() => {
        tf.dispose(tf.grads((q: tf.Tensor) => fusedAttention(q as tf.Tensor4D, key, value, { mask }).mul(upstream).sum())([query]));
      }, 'backward');
      tf.dispose([query, key, value, upstream, mask]);
    });
  });
});
