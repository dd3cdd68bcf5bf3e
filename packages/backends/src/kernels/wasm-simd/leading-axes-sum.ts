import { getKernel, registerKernel, Sum, unregisterKernel, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { simdHeap } from './load-simd-kernels';

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

const originals = new Map<string, KernelConfig>();

/** Reduced axes as sorted non-negative indices. */
function normalizeAxes(axis: number | number[], rank: number): number[] {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((value) => (value < 0 ? value + rank : value));
  return [...new Set(axes)].sort((a, b) => a - b);
}

/**
 * out[j] = Σ_i x[i·inner + j]: the sum over the leading `outer` rows of a (outer, inner) view,
 * accumulated in float64 row by row (sequential reads). The reference of the SIMD module's
 * `sumLeadingRows` (assembly/leading-sum.ts), which gives the same sums bit for bit.
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * sumLeadingRows(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2, out); // out = [9, 12]
 * ```
 */
export function sumLeadingRows(values: Float32Array, outer: number, inner: number, out: Float32Array): void {
  const sums = new Float64Array(inner);
  for (let row = 0, offset = 0; row < outer; row++, offset += inner) {
    for (let column = 0; column < inner; column++) sums[column] = (sums[column] as number) + (values[offset + column] as number);
  }
  out.set(sums);
}

/**
 * Sum for tfjs' wasm backend when the reduced axes are the leading ones (bias gradients of dense
 * layers: sum over batch and time). tfjs 4.22 wasm first transposes the reduced axes to the end
 * with its internal transpose, ~100 ms for a (2048, 1024) column sum vs ~3 ms in JavaScript; heed's
 * SIMD module sums in float64 two lanes at a time once loaded. Every other case runs tfjs' kernel.
 */
function sumKernel(previous: KernelConfig): KernelConfig {
  return {
    ...previous,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
      const axes = normalizeAxes(axis, x.shape.length);
      const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((value, index) => value === index);
      if (x.dtype !== 'float32' || !leading) return previous.kernelFunc(args);
      const outer = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
      const kept = x.shape.slice(axes.length);
      const inner = kept.reduce((a, b) => a * b, 1);
      const backend = args.backend as unknown as WasmBackendLike;
      const output = backend.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32'); // allocate first
      const heap = simdHeap();
      if (!heap) {
        sumLeadingRows(backend.typedArrayFromHeap(x), outer, inner, backend.typedArrayFromHeap(output));
        return output;
      }
      // the SIMD module's float64 sums: the same values as sumLeadingRows, ~3-5x faster
      heap.reset();
      const values = heap.copyIn(backend.typedArrayFromHeap(x));
      const sums = heap.reserve(2 * inner);
      const out = heap.reserve(inner);
      heap.exports.sumLeadingRows(values, outer, inner, sums, out);
      backend.typedArrayFromHeap(output).set(heap.view(out, inner));
      return output;
    },
  };
}

/**
 * Replaces the wasm backend's Sum by one that reduces leading axes directly. Idempotent.
 *
 * @example
 * ```ts
 * registerLeadingAxesSum('wasm'); // ['Sum']
 * ```
 */
export function registerLeadingAxesSum(backendName: string): string[] {
  if (backendName !== 'wasm' || originals.has(backendName)) return [];
  const previous = getKernel(Sum, backendName);
  if (!previous) return [];
  originals.set(backendName, previous);
  unregisterKernel(Sum, backendName);
  registerKernel(sumKernel(previous));
  return [Sum];
}

/** Restores the Sum kernel registered before {@link registerLeadingAxesSum}. */
export function unregisterLeadingAxesSum(backendName: string): void {
  const previous = originals.get(backendName);
  if (!previous) return;
  unregisterKernel(Sum, backendName);
  registerKernel(previous);
  originals.delete(backendName);
}

/** @returns ['Sum'] while the leading-axes Sum is registered on `backendName`. */
export function leadingAxesSumKernels(backendName: string): string[] {
  return originals.has(backendName) ? [Sum] : [];
}
