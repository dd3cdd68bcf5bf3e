import { BatchMatMul, getKernel, registerKernel, unregisterKernel, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { simdHeap } from './load-simd-kernels';
import { simdBatchMatMul } from './simd-matmul';

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

const originals = new Map<string, KernelConfig>();
const product = (sizes: readonly number[]) => sizes.reduce((total, size) => total * size, 1);

/** The batch shape of the output when one side's batch is all ones or both are equal; else undefined. */
function batchShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  if (batchA.join() === batchB.join()) return batchA;
  if (product(batchA) === 1) return batchB;
  if (product(batchB) === 1) return batchA;
  return undefined;
}

/**
 * BatchMatMul for the wasm backend: batched products (batch > 1) and transposed operands run
 * heed's packed SIMD GEMM, which reads transposed operands in place (tfjs 4.22 wasm runs batched
 * matmul at ~0.5-1.3 GFLOP/s, and transposed ones need a Transpose copy first). Plain 2-D products
 * keep the previous kernel (XNNPACK, on par with heed's GEMM single-threaded).
 */
function batchMatMulKernel(previous: KernelConfig): KernelConfig {
  return {
    ...previous,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      const heap = simdHeap();
      const batch = batchShape(a.shape, b.shape);
      if (!heap || !batch || (product(batch) <= 1 && !transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return previous.kernelFunc(args);
      const rank = a.shape.length;
      const m = a.shape[transposeA ? rank - 1 : rank - 2] as number;
      const k = a.shape[transposeA ? rank - 2 : rank - 1] as number;
      const n = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1] as number;
      const backend = args.backend as unknown as WasmBackendLike;
      const output = backend.makeOutput([...batch, m, n], 'float32'); // allocate before taking views
      simdBatchMatMul(
        heap,
        {
          a: backend.typedArrayFromHeap(a),
          b: backend.typedArrayFromHeap(b),
          batchA: product(a.shape.slice(0, -2)),
          batchB: product(b.shape.slice(0, -2)),
          m, n, k, transposeA, transposeB,
        },
        backend.typedArrayFromHeap(output),
      );
      return output;
    },
  };
}

/**
 * Routes the wasm backend's batched BatchMatMul through heed's SIMD GEMM (wrapping whatever
 * BatchMatMul kernel is registered now, which keeps the 2-D cases). Idempotent.
 *
 * @example
 * ```ts
 * registerSimdBatchMatMul('wasm'); // ['BatchMatMul']
 * ```
 */
export function registerSimdBatchMatMul(backendName: string): string[] {
  if (backendName !== 'wasm' || originals.has(backendName)) return [];
  const previous = getKernel(BatchMatMul, backendName);
  if (!previous) return [];
  originals.set(backendName, previous);
  unregisterKernel(BatchMatMul, backendName);
  registerKernel(batchMatMulKernel(previous));
  return [BatchMatMul];
}

/** Restores the BatchMatMul kernel that was registered before {@link registerSimdBatchMatMul}. */
export function unregisterSimdBatchMatMul(backendName: string): void {
  const previous = originals.get(backendName);
  if (!previous) return;
  unregisterKernel(BatchMatMul, backendName);
  registerKernel(previous);
  originals.delete(backendName);
}

/** @returns ['BatchMatMul'] while the SIMD batched matmul is registered on `backendName`. */
export function simdBatchMatMulKernels(backendName: string): string[] {
  return originals.has(backendName) ? [BatchMatMul] : [];
}
