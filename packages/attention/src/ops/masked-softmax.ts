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
 * @param mask bool, broadcastable to `scores`; omitted = plain `tf.softmax`.
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
    const mayAttend = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
    const rowMinimum = tf.min(scores, -1, true); // (..., 1)
    const visibleScores = tf.where(mayAttend, scores, rowMinimum); // masked -> row minimum: never raises the max
    const rowMaximum = tf.max(visibleScores, -1, true); // (..., 1) max over visible keys
    const exponentials = tf.mul(tf.exp(tf.sub(visibleScores, rowMaximum)), tf.cast(mayAttend, 'float32')); // all in [0, 1]
    const normaliser = tf.maximum(tf.sum(exponentials, -1, true), 1); // (..., 1); 0 only for fully masked rows
    return tf.div(exponentials, normaliser) as T;
  });
}
