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
 * Softmax over the keys `visible` allows (float 0/1, broadcastable to `scores`), with the dense
 * gradient `dscores = weights ⊙ (dweights − Σⱼ dweights·weights)`. No large negative fill (it
 * overflows half-precision softmax on WebGL, tfjs issue 5394): masked scores take the row minimum,
 * so they never raise the row max; exponentials are multiplied by `visible`, and the normaliser
 * max(sum, 1) is exact, since a row with any visible key holds exp(0) = 1. A fully masked row
 * therefore gives zeros. NaN as PyTorch 1.13's additive bool mask: a NaN score anywhere in a row,
 * masked or not, makes the row NaN (NaN + (−∞) = NaN); the gradient, written out, keeps
 * 0·NaN = NaN at masked keys as PyTorch's softmax backward does.
 */
function maskedSoftmax(scores: tf.Tensor, visible: tf.Tensor): tf.Tensor {
  const softmax = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const mayAttend = tf.greater(tf.broadcastTo(visible, input.shape), 0);
    const maskedScores = tf.where(mayAttend, input, tf.zerosLike(input)); // a masked NaN cannot reach the row minimum
    const visibleScores = tf.where(mayAttend, maskedScores, tf.broadcastTo(tf.min(maskedScores, -1, true), input.shape));
    const exponentials = tf.exp(tf.sub(visibleScores, tf.max(visibleScores, -1, true))).mul(visible);
    const normalised = tf.div(exponentials, tf.maximum(tf.sum(exponentials, -1, true), 1)); // (..., S)
    const poisoned = tf.broadcastTo(tf.any(tf.isNaN(input), -1, true), input.shape); // min/max treat NaN differently per backend
    const weights = tf.where(poisoned, tf.fill(input.shape, NaN), normalised);
    save([weights]);
    return {
      value: weights,
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(saved!, tf.sub(dy, tf.sum(tf.mul(dy, saved!), -1, true))),
    };
  });
  return softmax(scores);
}

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
    return tf.matMul(maskedSoftmax(scores, visible), value) as tf.Tensor4D;
  });
}
