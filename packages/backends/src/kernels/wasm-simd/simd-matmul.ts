import type { SimdHeap } from './simd-heap';

/** One batched matmul for the SIMD GEMM: operands as stored (before transposes). */
export interface MatMulProblem {
  a: Float32Array;
  b: Float32Array;
  /** Batch sizes of a and b (equal, or one of them 1 and broadcast). */
  batchA: number;
  batchB: number;
  /** op(A) is (m × k), op(B) is (k × n). */
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * C[batch] = op(A[batch]) · op(B[batch]) with heed's packed SIMD GEMM; transposes are absorbed by
 * the packing (strided reads), so no transposed copy is made; with a thread pool each thread
 * computes a band of rows. Writes into `out` (max(batchA, batchB) × m × n).
 */
export function simdBatchMatMul(heap: SimdHeap, problem: MatMulProblem, out: Float32Array): void {
  const { batchA, batchB, m, n, k, transposeA, transposeB } = problem;
  const batch = Math.max(batchA, batchB);
  heap.reset();
  const a = heap.copyIn(problem.a);
  const b = heap.copyIn(problem.b);
  const c = heap.reserve(batch * m * n);
  const threads = heap.pool ? heap.pool.threads : 1;
  const active = batch * m * n * k < heap.minThreadedWork ? 1 : Math.min(heap.activeThreads, threads);
  const scratchFloats = heap.exports.matMulScratchFloats(m, n);
  const scratches = Array.from({ length: threads }, (_, thread) => (thread < active ? heap.reserve(scratchFloats) : 0));
  heap.view(c, batch * m * n).fill(0);
  // A stored (m × k), or (k × m) when transposed: element (i, p) strides
  const [aRow, aCol] = transposeA ? [1, m] : [k, 1];
  const [bRow, bCol] = transposeB ? [1, k] : [n, 1];
  // each thread takes a band of C's rows (a multiple of 4), packing its own panels
  const band = Math.ceil(m / active / 4) * 4;
  for (let index = 0; index < batch; index++) {
    const aOffset = a + (batchA === 1 ? 0 : index * m * k * 4);
    const bOffset = b + (batchB === 1 ? 0 : index * k * n * 4);
    const cOffset = c + index * m * n * 4;
    const shares = scratches.map((scratch, thread) => {
      const first = Math.min(m, thread * band);
      const rows = thread < active ? Math.min(m, first + band) - first : 0;
      return [aOffset + first * aRow * 4, aRow, aCol, bOffset, bRow, bCol, cOffset + first * n * 4, rows, n, k, scratch];
    });
    if (heap.pool && active > 1 && m >= 8) heap.pool.run('matMul', shares);
    else heap.exports.matMul(aOffset, aRow, aCol, bOffset, bRow, bCol, cOffset, m, n, k, scratches[0] as number);
  }
  out.set(heap.view(c, batch * m * n));
}
