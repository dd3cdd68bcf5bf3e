import * as tf from '@tensorflow/tfjs';

/**
 * Softmax over the last axis restricted to the positions a mask allows (true = may attend).
 * Masked positions get **exactly zero** weight, and a row with no allowed position yields all
 * zeros (never NaN). No large negative fill is used (it overflows half-precision softmax on
 * WebGL/WebGPU, tfjs issue 5394): masked scores are replaced by the row minimum before the max
 * shift, exponentials are multiplied by the mask, and the normaliser is `max(sum, 1)` — exact,
 * since an unmasked row always sums to at least `exp(0) = 1`.
 *
 * @param scores `(..., keyLength)` float scores.
 * @param mask bool / int32 (true = may attend) or a float32 0/1 multiplier, broadcastable to
 *   `scores`; omitted = plain `tf.softmax`.
 *
 * @example
 * ```ts
 * maskedSoftmax(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[true, true, false]], undefined, 'bool'));
 * // [[0.2689, 0.7311, 0]]
 * ```
 */
export function maskedSoftmax<T extends tf.Tensor>(scores: T, mask?: tf.Tensor): T {
  if (mask === undefined) return tf.softmax(scores);
  return tf.tidy(() => {
    const rowMinimum = tf.min(scores, -1, true); // (..., 1)
    let visibleScores: tf.Tensor; // masked -> row minimum: never raises the max
    let visible: tf.Tensor; // float 0/1
    if (mask.dtype === 'float32') {
      // A float 0/1 multiplier may itself be computed from trained tensors (local-p's window):
      // arithmetic only, so no comparison op (which has no tfjs gradient) sits on the tape.
      visible = mask;
      visibleScores = tf.add(tf.mul(scores, visible), tf.mul(rowMinimum, tf.sub(1, visible)));
    } else {
      const mayAttend = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
      visible = tf.cast(mayAttend, 'float32');
      visibleScores = tf.where(mayAttend, scores, rowMinimum);
    }
    const rowMaximum = tf.max(visibleScores, -1, true); // (..., 1) max over visible keys
    const exponentials = tf.mul(tf.exp(tf.sub(visibleScores, rowMaximum)), visible); // all in [0, 1]
    const normaliser = tf.maximum(tf.sum(exponentials, -1, true), 1); // (..., 1); 0 only for fully masked rows
    return tf.div(exponentials, normaliser) as T;
  });
}
