import type * as tf from '@tensorflow/tfjs';
import { fusedGelu } from '@heed/backends';

/**
 * The exact Gaussian error linear unit (Hendrycks & Gimpel 2016), `x · Φ(x) = ½x(1 + erf(x/√2))`,
 * as PyTorch's `nn.GELU()` / `activation='gelu'` (not the tanh approximation). Runs
 * `@heed/backends`' `fusedGelu`: one kernel forward and one backward on cpu and wasm (WebAssembly
 * SIMD), the composite `geluReference` elsewhere.
 *
 * @example
 * ```ts
 * gelu(tf.tensor([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  return fusedGelu(x);
}
