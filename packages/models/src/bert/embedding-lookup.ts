import * as tf from '@tensorflow/tfjs';

/**
 * Rows of an embedding table for integer ids, `table (rows, dim)`, `ids (batch, time)` →
 * `(batch, time, dim)`, as `torch.nn.Embedding(padding_idx=…)`: positions holding `paddingIdx`
 * read its row but send no gradient to it (fine-tuning never moves the padding row). The forward
 * is `tf.gather`; the gradient a `tf.scatterND` (summing repeated ids), since tfjs' gather
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 *
 * @example
 * ```ts
 * const words = embeddingLookup(wordEmbeddings, inputIds, 0); // (batch, time, hidden)
 * ```
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor, paddingIdx: number | null): tf.Tensor3D {
  const [rows, dim] = table.shape as [number, number];
  const [batch, time] = ids.shape as [number, number];
  return tf.tidy(() => {
    const flatIds = ids.reshape([-1, 1]); // (batch·time, 1)
    const keep = paddingIdx === null ? undefined : tf.notEqual(flatIds, paddingIdx).toFloat(); // (batch·time, 1): 0 at padding
    const lookup = tf.customGrad(((weights: tf.Tensor, save: tf.GradSaveFunc) => {
      save(keep ? [flatIds, keep] : [flatIds]);
      const value = tf.gather(weights, flatIds.reshape([-1])).reshape([batch, time, dim]); // (batch, time, dim)
      const gradFunc = (dy: tf.Tensor, [savedIds, savedKeep]: tf.Tensor[]) => {
        const rowsGrad = dy.reshape([-1, dim]); // (batch·time, dim)
        return tf.scatterND(savedIds!, savedKeep ? tf.mul(rowsGrad, savedKeep) : rowsGrad, [rows, dim]); // (rows, dim)
      };
      return { value, gradFunc };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return lookup(table) as tf.Tensor3D;
  });
}

/** `x · kernel + bias` over the last axis of `x (..., in)`, kernel `(in, out)` → `(..., out)`. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [inputs, outputs] = kernel.shape as [number, number];
    const flat = x.reshape([-1, inputs]); // (batch·time, in)
    const projected = bias ? tf.add(tf.matMul(flat, kernel as tf.Tensor2D), bias) : tf.matMul(flat, kernel as tf.Tensor2D); // (batch·time, out)
    return projected.reshape([...x.shape.slice(0, -1), outputs]); // (..., out)
  });
}

/** The first token of every sequence: `(batch, time, dim)` → `(batch, dim)` ([CLS] / `<s>`). */
export function firstToken(x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.squeeze(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D);
}
