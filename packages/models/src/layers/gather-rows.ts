import * as tf from '@tensorflow/tfjs';

/**
 * Rows `table[ids]`: `table (rows, dim)` and int32 `ids` of any shape → `(...ids.shape, dim)`, the
 * embedding lookup as a gather. Its gradient is a `tf.scatterND` into `(rows, dim)`, which sums
 * repeated ids, instead of tfjs' UnsortedSegmentSum (the gradient of `tf.gather`), which the wasm
 * backend lacks; so a lookup in a 30,522-row table costs what its rows do, unlike a one-hot matmul.
 *
 * @example
 * ```ts
 * const vectors = gatherRows(table, ids); // table (vocab, dim), ids (batch, time) int32 → (batch, time, dim)
 * ```
 */
export function gatherRows(table: tf.Tensor, ids: tf.Tensor, where = 'gatherRows'): tf.Tensor {
  if (table.rank !== 2) throw new Error(`${where}: the table must have shape (rows, dim); got shape [${table.shape}]`);
  if (ids.dtype !== 'int32') throw new Error(`${where}: ids must be int32; got ${ids.dtype} with shape [${ids.shape}]`);
  const [rows, dim] = table.shape as [number, number];
  return tf.tidy(() => {
    const flatIds = ids.reshape([-1, 1]); // (count, 1)
    const lookup = tf.customGrad(((values: tf.Tensor, save: tf.GradSaveFunc) => {
      save([flatIds]);
      const value = tf.gather(values, flatIds.reshape([-1])).reshape([...ids.shape, dim]); // (…, dim)
      return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0]!, dy.reshape([-1, dim]), [rows, dim]) }; // (rows, dim)
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return lookup(table);
  });
}
