import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, candidateBackends, initBackend } from './init-backend';
import { simdHeap } from './kernels/wasm-simd/load-simd-kernels';

describe('initBackend', () => {
  it('tries webgpu, then wasm, then cpu in Node', () => {
    expect(candidateBackends()).toEqual(['webgpu', 'wasm', 'cpu']);
  });

  it('picks a backend automatically and reports every attempt', async () => {
    const report = await initBackend();
    expect(tf.getBackend()).toBe(report.name);
    expect(report.tried.at(-1)).toEqual({ name: report.name, ok: true });
    for (const attempt of report.tried.slice(0, -1)) {
      expect(attempt.ok).toBe(false);
      expect(attempt.reason).toBeTruthy();
    }
    if (report.name === 'wasm') {
      // WebGPU here is Mesa's llvmpipe: skipped as software unless forced.
      expect(report.tried[0]?.reason ?? '').toMatch(/software adapter|webgpu/);
    }
  });

  it('forces wasm: SIMD on, threads off in Node, binaries found without setWasmPaths', async () => {
    const report = await initBackend({ backend: 'wasm' });
    expect(report).toMatchObject({ name: 'wasm', isGpu: false, simd: true, threads: false });
    expect(report.kernelOverrides).toEqual(['BatchMatMul', '_FusedMatMul', 'Transpose', 'Sum', 'Identity']);
    // Returned with heed's SIMD module loaded: nobody calls loadSimdKernels or branches on 'wasm'.
    expect(report.simdKernels).toMatchObject({ build: expect.stringMatching(/^(plain|relaxed)$/), threads: expect.any(Number) });
    expect(simdHeap()).toBeDefined();
    const sum = tf.add(tf.tensor([1, 2]), tf.tensor([3, 4]));
    expect(Array.from(await sum.data())).toEqual([4, 6]);
    sum.dispose();
  });

  it('registers no overrides when fastKernels is false', async () => {
    const report = await initBackend({ backend: 'cpu', fastKernels: false });
    expect(report).toMatchObject({ name: 'cpu', kernelOverrides: [], simd: false });
    expect(report.simdKernels).toBeUndefined();
  });

  it('names the bad argument, and what is missing and available for an unavailable backend', async () => {
    await expect(initBackend({ backend: 'tpu' as never })).rejects.toThrow(
      'initBackend: options.backend must be one of webgpu, webgl, wasm, cpu; got "tpu"',
    );
    await expect(initBackend({ backend: 'webgl' })).rejects.toThrow(
      /backend "webgl" is unavailable: WebGL does not exist in Node\. Available here: .*wasm, cpu/,
    );
  });

  it('lists the backends that start here', async () => {
    const available = await availableBackends();
    expect(available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
  });
});

describe('initBackend fastKernels', () => {
  it('opts out of and back into the wasm overrides', async () => {
    expect((await initBackend({ backend: 'wasm', fastKernels: false })).kernelOverrides).toEqual([]);
    expect((await initBackend({ backend: 'wasm' })).kernelOverrides).toEqual(['BatchMatMul', '_FusedMatMul', 'Transpose', 'Sum', 'Identity']);
  });
});
