import {
  BatchMatMul,
  _FusedMatMul,
  getKernel,
  registerKernel,
  unregisterKernel,
  type DataType,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { simdHeap } from './load-simd-kernels';
import { simdBatchMatMul } from './simd-matmul';

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** The tfjs matmul kernels heed's SIMD GEMM replaces on the wasm backend. */
export const SIMD_MATMUL_KERNELS = [BatchMatMul, _FusedMatMul] as const;

const originals = new Map<string, KernelConfig>();
const key = (kernelName: string, backendName: string) => `${backendName}/${kernelName}`;
const product = (sizes: readonly number[]) => sizes.reduce((total, size) => total * size, 1);

/** The output batch shape when one side's batch is all ones or both are equal; else undefined. */
function batchShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  if (batchA.join() === batchB.join()) return batchA;
  if (product(batchA) === 1) return batchB;
  if (product(batchB) === 1) return batchA;
  return undefined;
}

interface Epilogue {
  bias?: Float32Array;
  relu: boolean;
}

/** op(A)·op(B) (+ bias, relu) on heed's GEMM; undefined when the case is not supported. */
function simdMatMul(args: Parameters<KernelFunc>[0], epilogue: Epilogue | undefined): TensorInfo | undefined {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const heap = simdHeap();
  const batch = batchShape(a.shape, b.shape);
  if (!heap || !batch || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const rank = a.shape.length;
  const m = a.shape[transposeA ? rank - 1 : rank - 2] as number;
  const k = a.shape[transposeA ? rank - 2 : rank - 1] as number;
  const n = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1] as number;
  const backend = args.backend as unknown as WasmBackendLike;
  const output = backend.makeOutput([...batch, m, n], 'float32'); // allocate before taking views
  const values = backend.typedArrayFromHeap(output);
  simdBatchMatMul(
    heap,
    {
      a: backend.typedArrayFromHeap(a), b: backend.typedArrayFromHeap(b), batchA: product(a.shape.slice(0, -2)), batchB: product(b.shape.slice(0, -2)), m, n, k, transposeA, transposeB,
      bias: epilogue?.bias, relu: epilogue?.relu,
    },
    values,
  );
  return output;
}

/** BatchMatMul: every float32 product with a whole-side batch broadcast. */
function batchMatMulKernel(previous: KernelConfig): KernelFunc {
  return (args) => simdMatMul(args, undefined) ?? (previous.kernelFunc(args) as TensorInfo);
}

/** _FusedMatMul with no or a (n) / scalar bias and linear or relu activation; others: previous. */
function fusedMatMulKernel(previous: KernelConfig): KernelFunc {
  return (args) => {
    const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { activation } = args.attrs as { activation?: string };
    const b = args.inputs.b as TensorInfo;
    const { transposeB } = args.attrs as { transposeB: boolean };
    const n = b.shape[transposeB ? b.shape.length - 2 : b.shape.length - 1] as number;
    const biasOk = !bias || (bias.dtype === 'float32' && (product(bias.shape) === n || product(bias.shape) === 1) && bias.shape.length <= 1);
    if (preluActivationWeights || !biasOk || (activation !== undefined && activation !== 'linear' && activation !== 'relu')) {
      return previous.kernelFunc(args);
    }
    const backend = args.backend as unknown as WasmBackendLike;
    const biasValues = bias ? backend.typedArrayFromHeap(bias).slice() : undefined; // copy: the heap may move
    return simdMatMul(args, { bias: biasValues, relu: activation === 'relu' }) ?? (previous.kernelFunc(args) as TensorInfo);
  };
}

/**
 * Routes the wasm backend's BatchMatMul and _FusedMatMul (bias, relu) through heed's packed SIMD
 * GEMM (multi-threaded in Node), wrapping the kernels registered now, which keep the cases it does
 * not cover (general batch broadcasting, other activations, non-float32). Transposed operands are
 * read in place by the packing. Idempotent; returns the kernels it replaced.
 *
 * @example
 * ```ts
 * registerSimdMatMul('wasm'); // ['BatchMatMul', '_FusedMatMul']
 * ```
 */
export function registerSimdMatMul(backendName: string): string[] {
  if (backendName !== 'wasm') return [];
  const replaced: string[] = [];
  for (const kernelName of SIMD_MATMUL_KERNELS) {
    if (originals.has(key(kernelName, backendName))) continue;
    const previous = getKernel(kernelName, backendName);
    if (!previous) continue;
    originals.set(key(kernelName, backendName), previous);
    unregisterKernel(kernelName, backendName);
    const kernelFunc = kernelName === BatchMatMul ? batchMatMulKernel(previous) : fusedMatMulKernel(previous);
    registerKernel({ ...previous, kernelFunc });
    replaced.push(kernelName);
  }
  return replaced;
}

/** Restores the matmul kernels that were registered before {@link registerSimdMatMul}. */
export function unregisterSimdMatMul(backendName: string): void {
  for (const kernelName of SIMD_MATMUL_KERNELS) {
    const previous = originals.get(key(kernelName, backendName));
    if (!previous) continue;
    unregisterKernel(kernelName, backendName);
    registerKernel(previous);
    originals.delete(key(kernelName, backendName));
  }
}

/** @returns the matmul kernels heed's SIMD GEMM currently runs on `backendName`. */
export function simdMatMulKernels(backendName: string): string[] {
  return SIMD_MATMUL_KERNELS.filter((kernelName) => originals.has(key(kernelName, backendName)));
}
