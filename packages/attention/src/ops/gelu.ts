import * as tf from '@tensorflow/tfjs';

/**
 * The exact Gaussian error linear unit (Hendrycks & Gimpel 2016), `x · Φ(x) = ½x(1 + erf(x/√2))`,
 * as PyTorch's `nn.GELU()` / `activation='gelu'` (not the tanh approximation).
 *
 * @example
 * ```ts
 * gelu(tf.tensor([-1, 0, 1])); // [-0.1587, 0, 0.8413]
 * ```
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))) as T);
}
