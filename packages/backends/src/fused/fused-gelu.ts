import * as tf from '@tensorflow/tfjs';
import { getKernel, type DataType, type GradConfig, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { simdHeap } from '../kernels/wasm-simd/load-simd-kernels';
import { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels';

/**
 * Kernel name of heed's fused GELU: input `x`, output x·Φ(x), one pass instead of the five ops
 * (and their temporaries) of {@link geluReference}.
 *
 * @example
 * ```ts
 * registerFusedGelu();
 * const y = tf.engine().runKernel(FusedGelu, { x }) as tf.Tensor;
 * ```
 */
export const FusedGelu = 'HeedGelu';

/**
 * Kernel name of the fused GELU's gradient: inputs `x` and `dy`, output dy·(Φ(x) + x·φ(x)).
 *
 * @example
 * ```ts
 * const dx = tf.engine().runKernel(FusedGeluGrad, { x, dy }) as tf.Tensor;
 * ```
 */
export const FusedGeluGrad = 'HeedGeluGrad';

/**
 * The exact GELU as composite tfjs ops, `½x(1 + erf(x/√2))` (PyTorch's `nn.GELU()`): the reference
 * the fused kernels are tested against, and what {@link fusedGelu} runs on backends without them.
 *
 * @example
 * ```ts
 * geluReference(tf.tensor([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function geluReference<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))) as T);
}

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), as tfjs' cpu Erf and heed's SIMD kernel (assembly/gelu.ts)
const [P, A1, A2, A3, A4, A5] = [0.3275911, 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/** 1 + erf(x/√2) given e = exp(−x²/2), without cancellation for x < 0. */
function onePlusErf(x: number, e: number): number {
  const t = 1 / (1 + P * Math.abs(x) * Math.SQRT1_2);
  const tail = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * e;
  return x < 0 ? tail : 2 - tail;
}

/** y[i] = gelu(x[i]) in JavaScript: the kernels' core where the SIMD module is not loaded. */
export function geluJs(x: ArrayLike<number>, y: Float32Array): void {
  for (let index = 0; index < y.length; index++) {
    const v = x[index] as number;
    y[index] = 0.5 * v * onePlusErf(v, Math.exp(-0.5 * v * v));
  }
}

/** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])) in JavaScript. */
export function geluGradJs(x: ArrayLike<number>, dy: ArrayLike<number>, dx: Float32Array): void {
  for (let index = 0; index < dx.length; index++) {
    const v = x[index] as number;
    const e = Math.exp(-0.5 * v * v);
    dx[index] = (dy[index] as number) * (0.5 * onePlusErf(v, e) + v * e * 0.3989422804014327);
  }
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

const size = (info: TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

const cpuForward: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const cpu = backend as unknown as CpuBackendLike;
  const y = new Float32Array(size(x));
  geluJs(cpu.data.get(x.dataId).values, y);
  return cpu.makeTensorInfo(x.shape, 'float32', y);
};

const cpuBackward: KernelFunc = ({ inputs, backend }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const cpu = backend as unknown as CpuBackendLike;
  const dx = new Float32Array(size(x));
  geluGradJs(cpu.data.get(x.dataId).values, cpu.data.get(dy.dataId).values, dx);
  return cpu.makeTensorInfo(x.shape, 'float32', dx);
};

/** wasm: heed's SIMD module once loaded (inputs copied in, the result copied out), else the JS core. */
const wasmForward: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const wasm = backend as unknown as WasmBackendLike;
  const output = wasm.makeOutput(x.shape, 'float32'); // allocate before taking views
  const count = size(x);
  const heap = simdHeap();
  if (!heap) {
    geluJs(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(output));
    return output;
  }
  heap.reset();
  const values = heap.copyIn(wasm.typedArrayFromHeap(x));
  const result = heap.reserve(count);
  heap.exports.geluForward(values, result, count);
  wasm.typedArrayFromHeap(output).set(heap.view(result, count));
  return output;
};

const wasmBackward: KernelFunc = ({ inputs, backend }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const wasm = backend as unknown as WasmBackendLike;
  const output = wasm.makeOutput(x.shape, 'float32');
  const count = size(x);
  const heap = simdHeap();
  if (!heap) {
    geluGradJs(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(dy), wasm.typedArrayFromHeap(output));
    return output;
  }
  heap.reset();
  const values = heap.copyIn(wasm.typedArrayFromHeap(x));
  const gradient = heap.copyIn(wasm.typedArrayFromHeap(dy));
  const result = heap.reserve(count);
  heap.exports.geluBackward(values, gradient, result, count);
  wasm.typedArrayFromHeap(output).set(heap.view(result, count));
  return output;
};

/** Every backend kernel of the fused GELU (cpu: JavaScript; wasm: WebAssembly SIMD). */
export const FUSED_GELU_KERNEL_CONFIGS: readonly KernelConfig[] = [
  { kernelName: FusedGelu, backendName: 'cpu', kernelFunc: cpuForward },
  { kernelName: FusedGeluGrad, backendName: 'cpu', kernelFunc: cpuBackward },
  { kernelName: FusedGelu, backendName: 'wasm', kernelFunc: wasmForward },
  { kernelName: FusedGeluGrad, backendName: 'wasm', kernelFunc: wasmBackward },
];

const gradConfig: GradConfig = {
  kernelName: FusedGelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.engine().runKernel(FusedGeluGrad, { x, dy: dy as tf.Tensor }) as tf.Tensor };
  },
};

/** Whether fusedGelu registered the kernels (once: after unregisterFusedGelu it runs the reference). */
let registered = false;

/**
 * Registers the fused GELU kernels (cpu and wasm) and their gradient with tfjs, and starts loading
 * heed's WebAssembly SIMD module. Idempotent; {@link fusedGelu} calls it on first use.
 *
 * @example
 * ```ts
 * registerFusedGelu();
 * hasFusedGeluKernel('wasm'); // true
 * ```
 */
export function registerFusedGelu(): void {
  registerFusedKernels(FUSED_GELU_KERNEL_CONFIGS, [gradConfig]);
}

/**
 * Removes the fused GELU kernels of every backend; {@link fusedGelu} then runs {@link geluReference}
 * until {@link registerFusedGelu} is called again.
 *
 * @example
 * ```ts
 * unregisterFusedGelu();
 * hasFusedGeluKernel('cpu'); // false
 * ```
 */
export function unregisterFusedGelu(): void {
  unregisterFusedKernels(FUSED_GELU_KERNEL_CONFIGS);
}

/**
 * @returns whether `backendName` has the fused GELU kernels registered.
 *
 * @example
 * ```ts
 * registerFusedGelu();
 * hasFusedGeluKernel('cpu'); // true
 * ```
 */
export function hasFusedGeluKernel(backendName: string): boolean {
  return getKernel(FusedGelu, backendName) !== undefined && getKernel(FusedGeluGrad, backendName) !== undefined;
}

/**
 * The exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's `nn.GELU()`), as one differentiable op:
 * one kernel forward and one backward, dy·(Φ(x) + x·φ(x)), on cpu and wasm (WebAssembly SIMD
 * once loaded), instead of the five ops and temporaries of {@link geluReference} and their
 * gradients; other backends and non-float32 tensors run {@link geluReference}. erf is
 * Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the formula of tfjs' cpu Erf.
 *
 * @example
 * ```ts
 * fusedGelu(tf.tensor([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function fusedGelu<T extends tf.Tensor>(x: T): T {
  if (!(x instanceof tf.Tensor)) throw new Error(`fusedGelu: x must be a tf.Tensor; got ${typeof x}`);
  if (!registered) {
    registerFusedGelu();
    registered = true;
  }
  if (x.dtype !== 'float32' || !hasFusedGeluKernel(tf.getBackend())) return geluReference(x);
  return tf.engine().runKernel(FusedGelu, { x }) as T;
}
