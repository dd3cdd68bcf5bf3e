import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSimdKernels, simdKernelsFailure, simdKernelsInfo } from './load-simd-kernels';
import { chooseSimdBuild, relaxedSimdSupported } from './simd-build';
import type { SimdExports } from './simd-heap';

/** Node 21+ validates relaxed SIMD by default; Node 20 only with the V8 flag. */
const relaxedExpected = Number(process.versions.node.split('.')[0]) >= 21 || process.execArgv.includes('--experimental-wasm-relaxed-simd');
const requested = process.env.HEED_SIMD_BUILD;

/** Deterministic uniform(−1, 1) values (mulberry32). */
function randomValues(count: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[index] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

/** One single-threaded module of dist/wasm/ instantiated on its own memory. */
function instantiate(file: string): SimdExports {
  const bytes = readFileSync(new URL(`../../../dist/wasm/${file}`, import.meta.url));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as SimdExports;
}

/** C = A·B (m × k · k × n) with `kernels.matMul`, A read transposed when `transposeA`. */
function matMul(kernels: SimdExports, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transposeA: boolean): Float32Array {
  const scratch = kernels.matMulScratchFloats(m, n);
  const base = 65536;
  const bytes = base + 4 * (a.length + b.length + m * n + scratch);
  const missing = bytes - kernels.memory.buffer.byteLength;
  if (missing > 0) kernels.memory.grow(Math.ceil(missing / 65536));
  const memory = new Float32Array(kernels.memory.buffer);
  const [aAt, bAt, cAt] = [base, base + 4 * a.length, base + 4 * (a.length + b.length)];
  memory.set(a, aAt / 4);
  memory.set(b, bAt / 4);
  memory.fill(0, cAt / 4, cAt / 4 + m * n);
  const [aRow, aCol] = transposeA ? [1, m] : [k, 1];
  kernels.matMul(aAt, aRow, aCol, bAt, n, 1, cAt, m, n, k, cAt + 4 * m * n);
  return memory.slice(cAt / 4, cAt / 4 + m * n);
}

describe('choosing the SIMD kernel build', () => {
  it('validates relaxed SIMD exactly where the engine supports it', () => {
    expect(relaxedSimdSupported()).toBe(relaxedExpected);
    expect(chooseSimdBuild('auto').build).toBe(relaxedExpected ? 'relaxed' : 'plain');
    expect(chooseSimdBuild('relaxed').build).toBe(relaxedExpected ? 'relaxed' : 'plain');
    if (!relaxedExpected) expect(chooseSimdBuild('relaxed').reason).toContain('--experimental-wasm-relaxed-simd');
  });

  it('loads the plain build when asked, and rejects unknown builds naming the choices', () => {
    expect(chooseSimdBuild('plain')).toEqual({ build: 'plain', reason: 'the plain build was asked for' });
    expect(() => chooseSimdBuild('fast' as never)).toThrow('SIMD build must be "auto", "plain" or "relaxed" (option build or HEED_SIMD_BUILD); got "fast"');
  });

  it('reports the build this process loaded (HEED_SIMD_BUILD of the test project)', async () => {
    expect(await loadSimdKernels(), simdKernelsFailure()).toBe(true);
    const info = simdKernelsInfo();
    const expected = requested === 'plain' || !relaxedExpected ? 'plain' : 'relaxed';
    expect(info?.build).toBe(expected);
    expect(info?.threads).toBeGreaterThanOrEqual(1);
  });
});

if (!relaxedExpected) console.warn(`[heed] skipping relaxed-vs-plain GEMM: Node ${process.versions.node} without --experimental-wasm-relaxed-simd rejects relaxed SIMD (the relaxed-simd test project runs it)`);

describe.skipIf(!relaxedExpected)('relaxed (FMA) and plain kernels side by side', () => {
  it('give the float64 reference within tolerance on odd, blocked and transposed GEMMs', () => {
    const plain = instantiate('heed-kernels.wasm');
    const relaxed = instantiate('heed-kernels-relaxed.wasm');
    for (const [m, n, k, transposeA] of [[67, 45, 300, false], [9, 17, 513, true], [128, 64, 64, false]] as const) {
      const a = randomValues(m * k, m + k);
      const b = randomValues(k * n, n + k);
      const reference = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += (a[transposeA ? p * m + i : i * k + p] as number) * (b[p * n + j] as number);
          reference[i * n + j] = sum;
        }
      for (const [name, kernels] of [['plain', plain], ['relaxed', relaxed]] as const) {
        const result = matMul(kernels, a, b, m, n, k, transposeA);
        let worst = 0;
        for (let index = 0; index < result.length; index++) worst = Math.max(worst, Math.abs((result[index] as number) - (reference[index] as number)));
        // k products of |x| < 1 summed in float32: error ~ k·2⁻²⁴·√k-ish; 1e-4 is ~20x that
        expect(worst, `${name} ${m}×${n}×${k} transposeA=${transposeA}`).toBeLessThan(1e-4);
      }
    }
  });
});
