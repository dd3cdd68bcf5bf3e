import * as tf from '@tensorflow/tfjs';
import { getKernel, type DataType, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import { simdHeap } from '../kernels/wasm-simd/load-simd-kernels';
import { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels';
import { describeValue } from '../validation/describe-value';

/**
 * Kernel name of heed's fused layer normalization over the last axis: inputs `x`, `gamma`, `beta`
 * (gamma and beta of the last axis' size), attribute `epsilon`; output `(x − mean)/√(var + ε)·γ + β`.
 *
 * @example
 * ```ts
 * registerFusedLayerNorm();
 * const y = tf.engine().runKernel(FusedLayerNorm, { x, gamma, beta }, { epsilon: 1e-5 }) as tf.Tensor;
 * ```
 */
export const FusedLayerNorm = 'HeedLayerNorm';

/**
 * Kernel name of the fused layer normalization's gradient: inputs `x`, `gamma`, `dy`, attribute
 * `epsilon`; outputs `dx`, `dGamma`, `dBeta` (the mean and 1/σ of each row are recomputed).
 *
 * @example
 * ```ts
 * const [dx, dGamma, dBeta] = tf.engine().runKernel(FusedLayerNormGrad, { x, gamma, dy }, { epsilon: 1e-5 }) as tf.Tensor[];
 * ```
 */
export const FusedLayerNormGrad = 'HeedLayerNormGrad';

/**
 * Layer normalization over the last axis as composite tfjs ops (tf.moments, biased variance, as
 * PyTorch's `nn.LayerNorm`): the reference the fused kernels are tested against, and what
 * {@link fusedLayerNorm} runs on backends without them.
 *
 * @example
 * ```ts
 * layerNormReference(x, gamma, beta, 1e-5); // x (batch, time, dim), gamma/beta (dim,)
 * ```
 */
export function layerNormReference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // (..., 1)
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}

/** [mean, 1/σ] of row `r` in float64. */
function rowStats(x: ArrayLike<number>, offset: number, dim: number, epsilon: number): [number, number] {
  let sum = 0;
  for (let c = 0; c < dim; c++) sum += x[offset + c] as number;
  const mean = sum / dim;
  let squares = 0;
  for (let c = 0; c < dim; c++) {
    const centered = (x[offset + c] as number) - mean;
    squares += centered * centered;
  }
  return [mean, 1 / Math.sqrt(squares / dim + epsilon)];
}

/** y = layer norm of `x`'s rows of `dim` values, in JavaScript (float64 row statistics). */
export function layerNormJs(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, dim: number, epsilon: number, y: Float32Array): void {
  for (let offset = 0; offset < y.length; offset += dim) {
    const [mean, inverse] = rowStats(x, offset, dim, epsilon);
    for (let c = 0; c < dim; c++) y[offset + c] = ((x[offset + c] as number) - mean) * inverse * (gamma[c] as number) + (beta[c] as number);
  }
}

/** dx, dγ, dβ of {@link layerNormJs} for the upstream gradient `dy`, in JavaScript. */
export function layerNormGradJs(x: ArrayLike<number>, gamma: ArrayLike<number>, dy: ArrayLike<number>, dim: number, epsilon: number, dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array): void {
  const gammaSums = new Float64Array(dim);
  const betaSums = new Float64Array(dim);
  for (let offset = 0; offset < dx.length; offset += dim) {
    const [mean, inverse] = rowStats(x, offset, dim, epsilon);
    let gSum = 0;
    let gxSum = 0;
    for (let c = 0; c < dim; c++) {
      const normalized = ((x[offset + c] as number) - mean) * inverse;
      const d = dy[offset + c] as number;
      const g = d * (gamma[c] as number);
      gSum += g;
      gxSum += g * normalized;
      gammaSums[c] = (gammaSums[c] as number) + d * normalized;
      betaSums[c] = (betaSums[c] as number) + d;
    }
    for (let c = 0; c < dim; c++) {
      const normalized = ((x[offset + c] as number) - mean) * inverse;
      const g = (dy[offset + c] as number) * (gamma[c] as number);
      dx[offset + c] = (g - gSum / dim - normalized * (gxSum / dim)) * inverse;
    }
  }
  dGamma.set(gammaSums);
  dBeta.set(betaSums);
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

interface LayerNormAttrs extends NamedAttrMap {
  epsilon: number;
}

const size = (info: TensorInfo) => info.shape.reduce((a, b) => a * b, 1);
const lastAxis = (info: TensorInfo) => info.shape[info.shape.length - 1] as number;

const cpuForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const cpu = backend as unknown as CpuBackendLike;
  const values = (info: TensorInfo) => cpu.data.get(info.dataId).values;
  const y = new Float32Array(size(x));
  layerNormJs(values(x), values(gamma), values(beta), lastAxis(x), (attrs as LayerNormAttrs).epsilon, y);
  return cpu.makeTensorInfo(x.shape, 'float32', y);
};

const cpuBackward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, dy } = inputs as { x: TensorInfo; gamma: TensorInfo; dy: TensorInfo };
  const cpu = backend as unknown as CpuBackendLike;
  const values = (info: TensorInfo) => cpu.data.get(info.dataId).values;
  const dim = lastAxis(x);
  const [dx, dGamma, dBeta] = [new Float32Array(size(x)), new Float32Array(dim), new Float32Array(dim)];
  layerNormGradJs(values(x), values(gamma), values(dy), dim, (attrs as LayerNormAttrs).epsilon, dx, dGamma, dBeta);
  return [cpu.makeTensorInfo(x.shape, 'float32', dx), cpu.makeTensorInfo([dim], 'float32', dGamma), cpu.makeTensorInfo([dim], 'float32', dBeta)];
};

/** wasm: heed's SIMD module once loaded (inputs copied in, results copied out), else the JS core. */
const wasmForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const wasm = backend as unknown as WasmBackendLike;
  const output = wasm.makeOutput(x.shape, 'float32'); // allocate before taking views
  const [count, dim, { epsilon }] = [size(x), lastAxis(x), attrs as LayerNormAttrs];
  const heap = simdHeap();
  const read = (info: TensorInfo) => wasm.typedArrayFromHeap(info);
  if (!heap) {
    layerNormJs(read(x), read(gamma), read(beta), dim, epsilon, read(output));
    return output;
  }
  heap.reset();
  const [xs, gammas, betas] = [heap.copyIn(read(x)), heap.copyIn(read(gamma)), heap.copyIn(read(beta))];
  const [ys, stats] = [heap.reserve(count), heap.reserve(4)];
  heap.exports.layerNormForward(xs, gammas, betas, ys, count / dim, dim, epsilon, stats);
  read(output).set(heap.view(ys, count));
  return output;
};

const wasmBackward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, gamma, dy } = inputs as { x: TensorInfo; gamma: TensorInfo; dy: TensorInfo };
  const wasm = backend as unknown as WasmBackendLike;
  const [count, dim, { epsilon }] = [size(x), lastAxis(x), attrs as LayerNormAttrs];
  const outputs = [wasm.makeOutput(x.shape, 'float32'), wasm.makeOutput([dim], 'float32'), wasm.makeOutput([dim], 'float32')] as const;
  const heap = simdHeap();
  const read = (info: TensorInfo) => wasm.typedArrayFromHeap(info);
  if (!heap) {
    layerNormGradJs(read(x), read(gamma), read(dy), dim, epsilon, read(outputs[0]), read(outputs[1]), read(outputs[2]));
    return [...outputs];
  }
  heap.reset();
  const [xs, gammas, dys] = [heap.copyIn(read(x)), heap.copyIn(read(gamma)), heap.copyIn(read(dy))];
  const [dxs, dGammas, dBetas, stats] = [heap.reserve(count), heap.reserve(dim), heap.reserve(dim), heap.reserve(4)];
  heap.view(dGammas, dim).fill(0);
  heap.view(dBetas, dim).fill(0);
  heap.exports.layerNormBackward(xs, gammas, dys, dxs, dGammas, dBetas, count / dim, dim, epsilon, stats);
  read(outputs[0]).set(heap.view(dxs, count));
  read(outputs[1]).set(heap.view(dGammas, dim));
  read(outputs[2]).set(heap.view(dBetas, dim));
  return [...outputs];
};

/** Every backend kernel of the fused layer normalization (cpu: JavaScript; wasm: WebAssembly SIMD). */
export const FUSED_LAYER_NORM_KERNEL_CONFIGS: readonly KernelConfig[] = [
  { kernelName: FusedLayerNorm, backendName: 'cpu', kernelFunc: cpuForward },
  { kernelName: FusedLayerNormGrad, backendName: 'cpu', kernelFunc: cpuBackward },
  { kernelName: FusedLayerNorm, backendName: 'wasm', kernelFunc: wasmForward },
  { kernelName: FusedLayerNormGrad, backendName: 'wasm', kernelFunc: wasmBackward },
];

const gradConfig: GradConfig = {
  kernelName: FusedLayerNorm,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy, saved, attrs) => {
    const [x, gamma] = saved as [tf.Tensor, tf.Tensor];
    // one kernel gives all three, run here: tfjs runs each gradient function in its own tidy, which
    // would dispose the other two results; any it does not ask for go with the enclosing scope
    const [dx, dGamma, dBeta] = tf.engine().runKernel(FusedLayerNormGrad, { x, gamma, dy: dy as tf.Tensor }, attrs as LayerNormAttrs) as tf.Tensor[];
    return { x: () => dx as tf.Tensor, gamma: () => dGamma as tf.Tensor, beta: () => dBeta as tf.Tensor };
  },
};

/** Whether fusedLayerNorm registered the kernels (once: after unregisterFusedLayerNorm it runs the reference). */
let registered = false;

/**
 * Registers the fused layer normalization kernels (cpu and wasm) and their gradient with tfjs, and
 * starts loading heed's WebAssembly SIMD module. Idempotent; {@link fusedLayerNorm} calls it on first use.
 *
 * @example
 * ```ts
 * registerFusedLayerNorm();
 * hasFusedLayerNormKernel('wasm'); // true
 * ```
 */
export function registerFusedLayerNorm(): void {
  registerFusedKernels(FUSED_LAYER_NORM_KERNEL_CONFIGS, [gradConfig]);
}

/**
 * Removes the fused layer normalization kernels of every backend; {@link fusedLayerNorm} then runs
 * {@link layerNormReference} until {@link registerFusedLayerNorm} is called again.
 *
 * @example
 * ```ts
 * unregisterFusedLayerNorm();
 * hasFusedLayerNormKernel('cpu'); // false
 * ```
 */
export function unregisterFusedLayerNorm(): void {
  unregisterFusedKernels(FUSED_LAYER_NORM_KERNEL_CONFIGS);
}

/**
 * @returns whether `backendName` has the fused layer normalization kernels registered.
 *
 * @example
 * ```ts
 * registerFusedLayerNorm();
 * hasFusedLayerNormKernel('cpu'); // true
 * ```
 */
export function hasFusedLayerNormKernel(backendName: string): boolean {
  return getKernel(FusedLayerNorm, backendName) !== undefined && getKernel(FusedLayerNormGrad, backendName) !== undefined;
}

/**
 * Layer normalization over the last axis, as PyTorch's `nn.LayerNorm` (`(x − mean)/√(var + ε)·γ + β`,
 * biased variance), as one differentiable op: one kernel forward and one backward (dx, dγ, dβ,
 * recomputing each row's mean and 1/σ) on cpu and wasm (WebAssembly SIMD once loaded), instead of
 * the ~8 ops of {@link layerNormReference} and their gradients; other backends and non-float32
 * tensors run {@link layerNormReference}.
 *
 * @example
 * ```ts
 * const normalized = fusedLayerNorm(x, gamma, beta, 1e-12); // x (batch, time, dim), gamma/beta (dim,)
 * ```
 */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  for (const [name, tensor] of [['x', x], ['gamma', gamma], ['beta', beta]] as const) {
    if (!(tensor instanceof tf.Tensor)) throw new Error(`fusedLayerNorm: ${name} must be a tf.Tensor; got ${describeValue(tensor)}`);
  }
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`fusedLayerNorm: epsilon must be a non-negative finite number (as nn.LayerNorm's eps, e.g. 1e-5); got ${describeValue(epsilon)}`);
  }
  const dim = x.shape[x.rank - 1];
  if (x.rank < 1 || gamma.shape.join() !== `${dim}` || beta.shape.join() !== `${dim}`) {
    throw new Error(`fusedLayerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must be (${dim},) for x [${x.shape}]`);
  }
  if (!registered) {
    registerFusedLayerNorm();
    registered = true;
  }
  const float = x.dtype === 'float32' && gamma.dtype === 'float32' && beta.dtype === 'float32';
  if (!float || x.size === 0 || !hasFusedLayerNormKernel(tf.getBackend())) return layerNormReference(x, gamma, beta, epsilon);
  return tf.engine().runKernel(FusedLayerNorm, { x, gamma, beta }, { epsilon }) as tf.Tensor;
}
