import * as tf from '@tensorflow/tfjs';
import { gatherRows } from '../layers/gather-rows';

/**
 * Embedding lookup, `table[ids]`: `ids (batch, T)` or `(batch,)` int32 → `(…, dim)`, a gather of
 * the rows ({@link gatherRows}: cost independent of the vocabulary size, gradient a scatter-add
 * that works on every backend). Equal to {@link embedTokensReference}, the one-hot matMul it
 * replaced, in values and gradients (tested on cpu, wasm and webgpu).
 *
 * @example
 * ```ts
 * const table = tf.variable(tf.randomNormal([43, 64])); // (V, dim)
 * embedTokens(table, tf.tensor2d([[2, 17, 3]], [1, 3], 'int32')); // (1, 3, 64)
 * ```
 */
export function embedTokens(table: tf.Tensor2D | tf.Variable, ids: tf.Tensor): tf.Tensor {
  return gatherRows(table, ids, 'embedTokens');
}

/**
 * The reference path of {@link embedTokens}: `oneHot(ids) · table`, a `(rows, V) · (V, dim)`
 * matMul. Same values and gradients; kept to check the gather against, not for use (it costs
 * `rows · V · dim`).
 *
 * @example
 * ```ts
 * embedTokensReference(table, ids); // equals embedTokens(table, ids)
 * ```
 */
export function embedTokensReference(table: tf.Tensor2D | tf.Variable, ids: tf.Tensor): tf.Tensor {
  const [vocab, dim] = table.shape as [number, number];
  return tf.tidy(() => {
    const oneHot = tf.oneHot(ids.reshape([-1]) as tf.Tensor1D, vocab); // (rows, V)
    return tf.matMul(oneHot, table as tf.Tensor2D).reshape([...ids.shape, dim]); // (rows, dim) → (…, dim)
  });
}
