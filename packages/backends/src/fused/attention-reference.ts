import * as tf from '@tensorflow/tfjs';

/** Options shared by {@link fusedAttention} and {@link attentionReference}. */
export interface AttentionOptions {
  /** bool (or 0/1) tensor broadcastable to (batch, heads, T, S); true = may attend. */
  mask?: tf.Tensor;
  /** Top-left aligned causal mask: key j is visible to query i iff j <= i. Default false. */
  causal?: boolean;
  /** Band radius r: key j is visible to query i iff |i − j| <= r. Default: no band. */
  window?: number;
  /** Multiplies query·key; default 1/sqrt(D). */
  scale?: number;
}

/** (T, S) float 0/1 visibility of causal and window, or undefined when neither is set. */
function bandVisibility(queryLength: number, keyLength: number, options: AttentionOptions): tf.Tensor2D | undefined {
  if (!options.causal && options.window === undefined) return undefined;
  // bandPart(x, below, above) keeps i − below <= j <= i + above; −1 keeps everything on that side.
  const radius = options.window ?? -1;
  const below = radius >= 0 && radius < queryLength ? radius : -1;
  const above = options.causal ? 0 : radius >= 0 && radius < keyLength ? radius : -1;
  return tf.linalg.bandPart(tf.ones([queryLength, keyLength]), below, above) as tf.Tensor2D;
}

/**
 * `weights` with every row that holds a NaN score set to NaN, and the same for its gradient;
 * the NaN test (`tf.any`, which has no gradient) stays off the tape.
 */
const nanRows = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [weights, scores, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  const poisoned = tf.broadcastTo(tf.any(tf.isNaN(scores), -1, true), weights.shape); // (..., S)
  const nan = tf.fill(weights.shape, NaN);
  save([poisoned, nan]);
  return {
    value: tf.where(poisoned, nan, weights),
    gradFunc: (dy: tf.Tensor, [mask, fill]: tf.Tensor[]) => [tf.where(mask!, fill!, dy), tf.zerosLike(dy)],
  };
}) as (weights: tf.Tensor, scores: tf.Tensor) => tf.Tensor;

/**
 * The plain composite attention, softmax(scale·Q·Kᵀ + mask)·V with matMul and softmax: the
 * reference the fused kernels are tested against, and the fallback on backends without a fused
 * kernel. It materializes the (batch, heads, T, S) scores.
 *
 * @example
 * ```ts
 * const context = attentionReference(query, key, value, { causal: true }); // (batch, heads, T, D)
 * ```
 */
export function attentionReference(query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const [, , queryLength = 1, depth = 1] = query.shape;
    const keyLength = key.shape[2] ?? 1;
    const scale = options.scale ?? 1 / Math.sqrt(depth);
    // (batch, heads, T, D) x (batch, heads, D, S) -> (batch, heads, T, S)
    const scores = tf.matMul(query, tf.transpose(key, [0, 1, 3, 2])).mul(scale);
    let visible: tf.Tensor | undefined = bandVisibility(queryLength, keyLength, options);
    if (options.mask) {
      const mask = tf.cast(tf.notEqual(options.mask, 0), 'float32');
      visible = visible ? tf.mul(visible, mask) : mask;
    }
    if (!visible) return tf.matMul(tf.softmax(scores), value) as tf.Tensor4D;
    // No large negative fill (it overflows half-precision softmax on WebGL, tfjs issue 5394):
    // masked scores take the row minimum, so they never raise the row max; exponentials are
    // multiplied by `visible`, and the normaliser max(sum, 1) is exact, since a row with any
    // visible key holds exp(0) = 1. A fully masked row therefore gives zeros, never NaN.
    // NaN, as in the fused kernels: a masked score is ignored (set to 0 first, so it cannot reach
    // the row minimum); a visible NaN score makes its whole row NaN, whatever min/max do with NaN.
    const mayAttend = tf.greater(tf.broadcastTo(visible, scores.shape), 0);
    const maskedScores = tf.where(mayAttend, scores, tf.zerosLike(scores));
    const visibleScores = tf.where(mayAttend, maskedScores, tf.broadcastTo(tf.min(maskedScores, -1, true), scores.shape));
    const exponentials = tf.exp(tf.sub(visibleScores, tf.max(visibleScores, -1, true))).mul(visible);
    const weights = tf.div(exponentials, tf.maximum(tf.sum(exponentials, -1, true), 1));
    return tf.matMul(nanRows(weights, maskedScores), value) as tf.Tensor4D;
  });
}
