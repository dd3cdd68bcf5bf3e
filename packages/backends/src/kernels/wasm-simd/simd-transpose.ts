import { getKernel, registerKernel, Transpose, unregisterKernel, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { canonicalTranspose, transposeValues } from './transpose-values';

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

const originals = new Map<string, KernelConfig>();
const SUPPORTED: ReadonlySet<DataType> = new Set<DataType>(['float32', 'int32', 'bool']);

/**
 * Whether heed's transpose beats tfjs 4.22's wasm one (measured, see BENCHMARKS.md): tfjs has fast
 * paths up to rank 4 but runs rank 5+ through a generic element loop (~35x slower on the
 * (batch, length, 3, heads, depth) split of attention layers), and its large 2-D transposes
 * (matmul gradients) are ~3x slower than 32×32 blocks.
 */
function beatsStock(shape: readonly number[], perm: readonly number[]): boolean {
  return shape.length >= 5 || canonicalTranspose(shape, perm).shape.length === 2;
}

/**
 * Transpose for tfjs' wasm backend that works in place on its heap: inner runs that stay
 * contiguous are block-copied, 2-D transposes go in 32×32 blocks. Other cases run tfjs' kernel.
 */
function transposeKernel(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      const perm = (args.attrs as { perm: number[] }).perm;
      if (!SUPPORTED.has(x.dtype) || !beatsStock(x.shape, perm)) return original.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackendLike;
      const outShape = perm.map((axis) => x.shape[axis] as number);
      const output = backend.makeOutput(outShape, x.dtype); // allocate first: it may move the heap
      transposeValues(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(output), x.shape, perm);
      return output;
    },
  };
}

/**
 * Replaces the wasm backend's Transpose kernel by heed's block-copying one. Idempotent; returns
 * the replaced kernel names.
 *
 * @example
 * ```ts
 * registerFastTranspose('wasm'); // ['Transpose']
 * ```
 */
export function registerFastTranspose(backendName: string): string[] {
  if (backendName !== 'wasm' || originals.has(backendName)) return [];
  const original = getKernel(Transpose, backendName);
  if (!original) return [];
  originals.set(backendName, original);
  unregisterKernel(Transpose, backendName);
  registerKernel(transposeKernel(original));
  return [Transpose];
}

/** Restores tfjs' own Transpose kernel on `backendName`. */
export function unregisterFastTranspose(backendName: string): void {
  const original = originals.get(backendName);
  if (!original) return;
  unregisterKernel(Transpose, backendName);
  registerKernel(original);
  originals.delete(backendName);
}

/** @returns ['Transpose'] while heed's transpose is registered on `backendName`. */
export function fastTransposeKernels(backendName: string): string[] {
  return originals.has(backendName) ? [Transpose] : [];
}
