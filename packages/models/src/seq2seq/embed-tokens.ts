import * as tf from '@tensorflow/tfjs';

/**
 * Embedding lookup as `oneHot(ids) · table`: `ids (batch, T)` or `(batch,)` int32 → `(…, dim)`.
 * Differentiable on every backend (the gradient of `tf.gather` needs UnsortedSegmentSum, which the
 * wasm backend lacks); vocabularies here are small, so the matMul is cheap.
 *
 * @example
 * ```ts
 * embedTokens(table, tf.tensor2d([[1, 2]], [1, 2], 'int32')); // (1, 2, dim)
 * ```
 */
export function embedTokens(table: tf.Tensor2D | tf.Variable, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape as [number, number];
  const flat = tf.oneHot(ids.reshape([-1]) as tf.Tensor1D, vocab); // (rows, V)
  return tf.matMul(flat, table as tf.Tensor2D).reshape([...ids.shape, dim]); // (rows, dim) → (…, dim)
}
