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
    const masked = tf.where(tf.greater(visible, 0), scores, tf.fill(scores.shape, -1e9));
    // A fully masked row softmaxes to uniform weights; multiplying by `visible` zeroes it.
    const weights = tf.softmax(masked).mul(visible);
    return tf.matMul(weights, value) as tf.Tensor4D;
  });
}
