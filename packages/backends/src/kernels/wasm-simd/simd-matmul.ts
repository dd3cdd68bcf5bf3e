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
  /** Added to every row of C (n values, or 1 for a scalar), in the module after the product. */
  bias?: Float32Array;
  /** max(C, 0) after the bias. */
  relu?: boolean;
}

/**
 * C[batch] = op(A[batch]) · op(B[batch]) with heed's packed SIMD GEMM; transposes are absorbed by
 * the packing (strided reads), so no transposed copy is made. With a thread pool the threads share
 * the work at run time (`matMulShared`: B packed once for all of them, then blocks of 64 rows of C
 * claimed one at a time), so a descheduled thread delays only its block; on one thread, `matMul`
 * per batch; then the bias and relu epilogue, if any. Writes into `out` (max(batchA, batchB) × m × n).
 */
export function simdBatchMatMul(heap: SimdHeap, problem: MatMulProblem, out: Float32Array): void {
  const { batchA, batchB, m, n, k, transposeA, transposeB } = problem;
  const batch = Math.max(batchA, batchB);
  heap.reset();
  const a = heap.copyIn(problem.a);
  const b = heap.copyIn(problem.b);
  const c = heap.reserve(batch * m * n);
  const bias = problem.bias ? heap.reserve(n) : 0;
  const threads = heap.pool ? heap.pool.threads : 1;
  const active = batch * m * n * k < heap.minThreadedWork ? 1 : Math.min(heap.activeThreads, threads);
  // A stored (m × k), or (k × m) when transposed: element (i, p) strides
  const [aRow, aCol] = transposeA ? [1, m] : [k, 1];
  const [bRow, bCol] = transposeB ? [1, k] : [n, 1];
  if (heap.pool && active > 1) {
    const packedB = heap.reserve(heap.exports.packedBFloats(batchB, n, k));
    const counters = heap.reserve(4);
    const scratchFloats = heap.exports.matMulSharedScratchFloats();
    const scratches = Array.from({ length: threads }, (_, thread) => (thread < active ? heap.reserve(scratchFloats) : 0));
    heap.view(c, batch * m * n).fill(0);
    new Int32Array(heap.exports.memory.buffer, counters, 4).fill(0);
    const args = [a, aRow, aCol, batchA === 1 ? 0 : m * k, b, bRow, bCol, batchB === 1 ? 0 : k * n, c, m, n, k, batch, batchB, packedB, counters];
    heap.pool.run('matMulShared', scratches.map((scratch) => [...args, scratch]));
  } else {
    const scratch = heap.reserve(heap.exports.matMulScratchFloats(m, n));
    heap.view(c, batch * m * n).fill(0);
    for (let index = 0; index < batch; index++) {
      const aOffset = a + (batchA === 1 ? 0 : index * m * k * 4);
      const bOffset = b + (batchB === 1 ? 0 : index * k * n * 4);
      heap.exports.matMul(aOffset, aRow, aCol, bOffset, bRow, bCol, c + index * m * n * 4, m, n, k, scratch);
    }
  }
  if (problem.bias || problem.relu) {
    if (problem.bias) {
      const values = heap.view(bias, n);
      if (problem.bias.length === n) values.set(problem.bias);
      else values.fill(problem.bias[0] as number);
    }
    heap.exports.biasActivation(c, batch * m, n, bias, problem.relu ? 1 : 0);
  }
  out.set(heap.view(c, batch * m * n));
}
