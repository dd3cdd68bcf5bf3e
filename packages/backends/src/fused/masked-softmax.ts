import * as tf from '@tensorflow/tfjs';

/**
 * `max(x)` over the last axis (kept) with a zero gradient: tfjs 4.22 has no `tf.stopGradient`, so
 * the max runs inside a `tf.customGrad` forward (off the tape) and the gradient is zero. Exact for
 * the softmax shift, which cancels between numerator and denominator.
 */
const detachedRowMaximum = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.max(x, -1, true), gradFunc: () => tf.zerosLike(x) }; // value (..., 1)
});

/**
 * Forward of the masked softmax on a boolean `mayAttend`: masked scores are replaced by the row
 * minimum (never raises the max), exponentials are multiplied by the mask, and the normaliser is
 * `max(sum, 1)`, which is the sum itself unless the row is fully masked (all zeros then).
 */
function maskedSoftmaxForward(scores: tf.Tensor, mayAttend: tf.Tensor): tf.Tensor {
  const visible = tf.cast(mayAttend, 'float32');
  const shape = scores.shape;
  // A masked score is ignored, NaN included (0 first, so it cannot reach the row minimum).
  const maskedScores = tf.where(tf.broadcastTo(mayAttend, shape), scores, tf.zeros(shape));
  const visibleScores = tf.where(mayAttend, maskedScores, tf.min(maskedScores, -1, true)); // masked -> row minimum
  const exponentials = tf.mul(tf.exp(tf.sub(visibleScores, tf.max(visibleScores, -1, true))), visible); // all in [0, 1]
  const weights = tf.div(exponentials, tf.maximum(tf.sum(exponentials, -1, true), 1)); // (..., S)
  // A NaN score anywhere in a row, masked or not, makes the row NaN, as PyTorch 1.13's additive
  // bool mask does (NaN + (−∞) = NaN); tested here, since backends' min/max treat NaN differently.
  const poisoned = tf.any(tf.isNaN(scores), -1, true); // (..., 1)
  return tf.where(tf.broadcastTo(poisoned, shape), tf.fill(shape, NaN), weights);
}

/**
 * Softmax over the last axis restricted to the positions a mask allows (true = may attend).
 * Masked positions get **exactly zero** weight, and a row with no allowed position yields all
 * zeros (never NaN). No large negative fill is used (it overflows half-precision softmax on
 * WebGL/WebGPU, tfjs issue 5394): masked scores are replaced by the row minimum before the max
 * shift, exponentials are multiplied by the mask, and the normaliser is `max(sum, 1)` — exact,
 * since an unmasked row always sums to at least `exp(0) = 1`. A NaN score anywhere in a row, even
 * at a masked position, makes that row NaN (PyTorch 1.13's additive bool mask does the same).
 *
 * Gradient: with a bool / int32 mask it is the softmax Jacobian written out,
 * `dscores = weights · (dweights − Σ dweights · weights)` (zero at masked keys and on fully masked
 * rows), so the row max/min shift and the mask never reach the tape. With a float32 multiplier
 * (which may depend on trained tensors) the composite ops are differentiated, with the max shift
 * detached (it cancels, so that is exact).
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
  if (mask.dtype !== 'float32') {
    return tf.tidy(() => {
      const mayAttend = mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
      const softmax = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
        const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
        const weights = maskedSoftmaxForward(input, mayAttend); // (..., S)
        save([weights]);
        return {
          value: weights,
          // Softmax Jacobian: dscores = w ⊙ (dw − Σₛ dw·w), zero wherever w = 0 (masked keys).
          gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(saved!, tf.sub(dy, tf.sum(tf.mul(dy, saved!), -1, true))),
        };
      });
      return softmax(scores) as T;
    });
  }
  return tf.tidy(() => {
    // A float 0/1 multiplier may itself be computed from trained tensors (local-p's window):
    // arithmetic only, so no comparison op (which has no tfjs gradient) sits on the tape.
    const visible = mask;
    const rowMinimum = tf.min(scores, -1, true); // (..., 1)
    const visibleScores = tf.add(tf.mul(scores, visible), tf.mul(rowMinimum, tf.sub(1, visible))); // masked -> row minimum
    const exponentials = tf.mul(tf.exp(tf.sub(visibleScores, detachedRowMaximum(visibleScores))), visible); // all in [0, 1]
    const normaliser = tf.maximum(tf.sum(exponentials, -1, true), 1); // (..., 1); 0 only for fully masked rows
    return tf.div(exponentials, normaliser) as T;
  });
}
