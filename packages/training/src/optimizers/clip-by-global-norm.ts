import * as tf from '@tensorflow/tfjs';

/**
 * Scales every gradient by `maxNorm / max(globalNorm, maxNorm)`, where `globalNorm` is the L2
 * norm of all gradients concatenated (Pascanu et al., 2013; tf.clip_by_global_norm). Directions
 * are kept; only the overall length is capped.
 *
 * @returns new tensors (the caller disposes them and `globalNorm`), keyed as the input.
 * @example
 * ```ts
 * const { clipped, globalNorm } = clipByGlobalNorm(grads, 1.0);
 * ```
 */
export function clipByGlobalNorm(gradients: tf.NamedTensorMap, maxNorm: number): { clipped: tf.NamedTensorMap; globalNorm: tf.Scalar } {
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be a positive number, got ${maxNorm}`);
  return tf.tidy(() => {
    const globalNorm = globalGradientNorm(gradients);
    const scale = tf.div(maxNorm, tf.maximum(globalNorm, maxNorm));
    const clipped = Object.fromEntries(Object.entries(gradients).map(([name, gradient]) => [name, tf.mul(gradient, scale)]));
    return { clipped, globalNorm };
  });
}

/**
 * The L2 norm of all gradients together, `sqrt(Σ_i ||g_i||²)`.
 *
 * @example
 * ```ts
 * globalGradientNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }); // 5
 * ```
 */
export function globalGradientNorm(gradients: tf.NamedTensorMap): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(gradients).map((gradient) => tf.sum(tf.square(gradient))))) as tf.Scalar);
}
