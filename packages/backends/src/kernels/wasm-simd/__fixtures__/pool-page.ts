// Bundled by web-worker-pool.test.ts into a page: loads heed's kernels the way a browser does
// (fetch, Web Worker pool when cross-origin isolated) and multiplies on the pool and on one thread.
import { loadSimdKernels, simdHeap, simdKernelsFailure, simdKernelsInfo } from '../load-simd-kernels';
import { simdBatchMatMul } from '../simd-matmul';

/** Deterministic uniform(−1, 1) values. */
function randomValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = Math.sin(seed * 7919 + index * 12.9898) % 1;
  return values;
}

(globalThis as { runPoolCheck?: unknown }).runPoolCheck = async () => {
  if (!(await loadSimdKernels({ baseUrl: new URL('./wasm/', location.href) }))) return { failure: simdKernelsFailure() };
  const heap = simdHeap();
  if (!heap) return { failure: 'no heap' };
  heap.minThreadedWork = 0; // split even this small product between the threads
  const [m, n, k] = [70, 33, 300];
  const problem = { a: randomValues(m * k, 1), b: randomValues(k * n, 2), batchA: 1, batchB: 1, m, n, k, transposeA: false, transposeB: true };
  const pooled = new Float32Array(m * n);
  simdBatchMatMul(heap, problem, pooled);
  heap.activeThreads = 1;
  const single = new Float32Array(m * n);
  simdBatchMatMul(heap, problem, single);
  let poolVsSingle = 0;
  let poolVsReference = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (problem.a[i * k + p] as number) * (problem.b[j * k + p] as number); // B stored (n × k)
      // relative to 1 + |reference|: sums of 300 products reach ~10
      poolVsReference = Math.max(poolVsReference, Math.abs((pooled[i * n + j] as number) - sum) / (1 + Math.abs(sum)));
      poolVsSingle = Math.max(poolVsSingle, Math.abs((pooled[i * n + j] as number) - (single[i * n + j] as number)));
    }
  return { info: simdKernelsInfo(), isolated: globalThis.crossOriginIsolated, poolVsSingle, poolVsReference };
};
