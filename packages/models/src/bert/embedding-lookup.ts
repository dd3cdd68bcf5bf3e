import * as tf from '@tensorflow/tfjs';
import { denseLastAxis } from '@heed/attention';
import { gatherRows } from '../layers/gather-rows';

/**
 * Rows of an embedding table for integer ids, `table (rows, dim)`, `ids (batch, time)` →
 * `(batch, time, dim)`, as `torch.nn.Embedding(padding_idx=…)`: positions holding `paddingIdx`
 * read its row but send no gradient to it (fine-tuning never moves the padding row). The lookup is
 * the shared {@link gatherRows} (a gather whose gradient is a scatterND, on every backend).
 *
 * @example
 * ```ts
 * const words = embeddingLookup(wordEmbeddings, inputIds, 0); // (batch, time, hidden)
 * ```
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor, paddingIdx: number | null): tf.Tensor3D {
  return tf.tidy(() => {
    const gathered = gatherRows(table, ids, 'embeddingLookup') as tf.Tensor3D; // (batch, time, dim)
    if (paddingIdx === null) return gathered;
    const keep = tf.notEqual(ids, paddingIdx).toFloat().expandDims(2); // (batch, time, 1): 0 at padding
    // The identity, whose gradient is zero at padding positions.
    const withoutPaddingGradient = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([keep]);
      return { value: x.clone(), gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, saved!) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return withoutPaddingGradient(gathered) as tf.Tensor3D;
  });
}

/** `x · kernel + bias` over the last axis of `x (..., in)`, kernel `(in, out)` → `(..., out)`: @heed/attention's `denseLastAxis` for HF's variables. */
export function dense(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  return denseLastAxis(x, kernel as tf.Tensor2D, bias as tf.Tensor1D | undefined);
}

/** The first token of every sequence: `(batch, time, dim)` → `(batch, dim)` ([CLS] / `<s>`). */
export function firstToken(x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.squeeze(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [1]) as tf.Tensor2D);
}
