import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSimdKernels, simdHeap, simdKernelsFailure } from './load-simd-kernels';
import { setSimdThreads } from './attention-simd';
import type { SimdExports } from './simd-heap';
import { simdBatchMatMul, type MatMulProblem } from './simd-matmul';

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

/** op(A)·op(B) per batch in float64, from the stored layouts. */
function reference({ a, b, batchA, batchB, m, n, k, transposeA, transposeB }: MatMulProblem): Float64Array {
  const batch = Math.max(batchA, batchB);
  const out = new Float64Array(batch * m * n);
  for (let index = 0; index < batch; index++) {
    const aBase = batchA === 1 ? 0 : index * m * k;
    const bBase = batchB === 1 ? 0 : index * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const x = a[aBase + (transposeA ? p * m + i : i * k + p)] as number;
          const y = b[bBase + (transposeB ? j * k + p : p * n + j)] as number;
          sum += x * y;
        }
        out[index * m * n + i * n + j] = sum;
      }
  }
  return out;
}

/** [batchA, batchB, m, n, k]: row blocks of 64, panel groups of 128 columns, KC blocks of 256, broadcasts. */
const CASES: Array<[number, number, number, number, number]> = [
  [1, 1, 130, 137, 300], // edge rows, columns and depth over every block size
  [3, 3, 70, 20, 9], // batched, one row block and a half per batch
  [4, 1, 33, 260, 40], // B broadcast: packed once for every batch
  [1, 2, 5, 7, 513], // A broadcast, fewer rows than a tile, three KC blocks
];

describe('shared-work GEMM (matMulShared) on the worker pool', () => {
  afterAll(() => {
    const heap = simdHeap();
    if (heap) heap.minThreadedWork = 2 ** 26;
    setSimdThreads(Number.POSITIVE_INFINITY);
  });

  it('equals the one-thread GEMM bit for bit and the float64 reference within tolerance', async () => {
    expect(await loadSimdKernels(), simdKernelsFailure()).toBe(true);
    const heap = simdHeap()!;
    if (!heap.pool) console.warn('[heed] no worker pool here: matMulShared runs on one thread only');
    heap.minThreadedWork = 0;
    let seed = 1;
    for (const [batchA, batchB, m, n, k] of CASES)
      for (const transposeA of [false, true])
        for (const transposeB of [false, true]) {
          const problem: MatMulProblem = { a: randomValues(batchA * m * k, seed++), b: randomValues(batchB * k * n, seed++), batchA, batchB, m, n, k, transposeA, transposeB };
          const label = `[${batchA}/${batchB}] ${m}×${n}×${k} tA=${transposeA} tB=${transposeB}`;
          const batch = Math.max(batchA, batchB);
          setSimdThreads(Number.POSITIVE_INFINITY);
          const shared = new Float32Array(batch * m * n);
          simdBatchMatMul(heap, problem, shared);
          setSimdThreads(1);
          const single = new Float32Array(batch * m * n);
          simdBatchMatMul(heap, problem, single);
          expect(shared, label).toEqual(single);
          const expected = reference(problem);
          let worst = 0;
          for (let index = 0; index < expected.length; index++) worst = Math.max(worst, Math.abs((shared[index] as number) - (expected[index] as number)));
          expect(worst, label).toBeLessThan(2e-4); // k ≤ 513 products of |x| < 1 in float32
        }
  });

  it('applies the bias (n values or a scalar) and relu in the module, on every thread count', async () => {
    expect(await loadSimdKernels(), simdKernelsFailure()).toBe(true);
    const heap = simdHeap()!;
    heap.minThreadedWork = 0;
    const [m, n, k] = [67, 13, 20]; // n: three vectors and a tail
    for (const threads of [1, Number.POSITIVE_INFINITY])
      for (const bias of [randomValues(n, 5), new Float32Array([0.25]), undefined])
        for (const relu of [false, true]) {
          if (!bias && !relu) continue;
          setSimdThreads(threads);
          const problem: MatMulProblem = { a: randomValues(m * k, 3), b: randomValues(k * n, 4), batchA: 1, batchB: 1, m, n, k, transposeA: false, transposeB: false };
          const plain = new Float32Array(m * n);
          simdBatchMatMul(heap, problem, plain);
          const fused = new Float32Array(m * n);
          simdBatchMatMul(heap, { ...problem, bias, relu }, fused);
          const expected = plain.map((value, index) => {
            const sum = bias ? Math.fround(value + (bias[bias.length === 1 ? 0 : index % n] as number)) : value;
            return relu && sum < 0 ? 0 : sum;
          });
          expect(fused, `threads ${threads}, bias ${bias?.length ?? 'none'}, relu ${relu}`).toEqual(expected);
          if (relu) expect(fused.some((value) => value === 0)).toBe(true);
        }
  });

  it('runs on a single-threaded module too (plain loads for the work counters)', () => {
    const file = process.env.HEED_SIMD_BUILD === 'relaxed' ? 'heed-kernels-relaxed.wasm' : 'heed-kernels.wasm';
    const kernels = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL(`../../../dist/wasm/${file}`, import.meta.url))), {}).exports as unknown as SimdExports;
    const [m, n, k] = [70, 137, 300];
    const a = randomValues(m * k, 7);
    const b = randomValues(k * n, 8);
    const at = 65536;
    const [bAt, cAt, c2At] = [at + 4 * a.length, at + 4 * (a.length + b.length), at + 4 * (a.length + b.length + m * n)];
    const packedB = c2At + 4 * m * n;
    const counters = packedB + 4 * kernels.packedBFloats(1, n, k);
    const scratch = counters + 16;
    const end = scratch + 4 * Math.max(kernels.matMulSharedScratchFloats(), kernels.matMulScratchFloats(m, n));
    kernels.memory.grow(Math.ceil((end - kernels.memory.buffer.byteLength) / 65536) + 1);
    const memory = new Float32Array(kernels.memory.buffer);
    memory.set(a, at / 4);
    memory.set(b, bAt / 4);
    memory.fill(0, cAt / 4, counters / 4 + 4);
    kernels.matMulShared(at, k, 1, 0, bAt, n, 1, 0, cAt, m, n, k, 1, 1, packedB, counters, scratch);
    kernels.matMul(at, k, 1, bAt, n, 1, c2At, m, n, k, scratch);
    expect(memory.slice(cAt / 4, cAt / 4 + m * n)).toEqual(memory.slice(c2At / 4, c2At / 4 + m * n));
  });
});
