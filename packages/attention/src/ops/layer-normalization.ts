import type * as tf from '@tensorflow/tfjs';
import { describeValue, fusedLayerNorm } from '@heed/backends';

/**
 * Layer normalization (Ba, Kiros & Hinton 2016) over the last axis, as PyTorch's `nn.LayerNorm`:
 * `(x − mean) / √(var + ε) · gamma + beta` with the biased variance. Runs `@heed/backends`'
 * `fusedLayerNorm`: one kernel forward and one backward on cpu and wasm (WebAssembly SIMD), the
 * composite `layerNormReference` elsewhere.
 *
 * @example
 * ```ts
 * const normalized = layerNormalization(x, gamma, beta, 1e-5); // x (batch, time, dim), gamma/beta (dim,)
 * ```
 */
export function layerNormalization(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon = 1e-5): tf.Tensor {
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw new RangeError(`layerNormalization: epsilon must be a non-negative finite number (as nn.LayerNorm's eps, e.g. 1e-5); got ${describeValue(epsilon)}`);
  }
  const dim = x.shape[x.rank - 1];
  if (gamma.shape.join() !== `${dim}` || beta.shape.join() !== `${dim}`) {
    throw new Error(`layerNormalization: gamma [${gamma.shape}] and beta [${beta.shape}] must be (${dim},) for x [${x.shape}]`);
  }
  return fusedLayerNorm(x, gamma, beta, epsilon);
}
