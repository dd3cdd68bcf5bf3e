import * as tf from '@tensorflow/tfjs';
import { maskedSoftmax } from './masked-softmax';

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

/** (T, S) bool visibility of causal and window, or undefined when neither is set. */
function bandVisibility(queryLength: number, keyLength: number, options: AttentionOptions): tf.Tensor2D | undefined {
  if (!options.causal && options.window === undefined) return undefined;
  // bandPart(x, below, above) keeps i − below <= j <= i + above; −1 keeps everything on that side.
  const radius = options.window ?? -1;
  const below = radius >= 0 && radius < queryLength ? radius : -1;
  const above = options.causal ? 0 : radius >= 0 && radius < keyLength ? radius : -1;
  return tf.cast(tf.linalg.bandPart(tf.ones([queryLength, keyLength]), below, above), 'bool') as tf.Tensor2D;
}

/**
 * The attention weights of the reference path, `softmax(scale·Q·Kᵀ)` over the keys that `mask`,
 * `causal` and `window` allow, `(batch, heads, T, S)`: {@link maskedSoftmax} of the scores (exact
 * zeros at masked keys, zeros on a fully masked row, NaN as PyTorch 1.13's additive bool mask).
 * The one composite heed's attention paths are checked against: {@link attentionReference} and
 * `scaledDotProductAttentionReference` of @heed/attention (which adds dropout) both call it.
 *
 * @param query (batch, heads, T, D)
 * @param key (batch, heads, S, D)
 * @returns (batch, heads, T, S)
 * @example
 * ```ts
 * const weights = attentionWeightsReference(query, key, { causal: true }); // (batch, heads, T, S), rows sum to 1
 * ```
 */
export function attentionWeightsReference(query: tf.Tensor4D, key: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, heads, queryLength, depth] = query.shape;
    const keyLength = key.shape[2];
    const scale = options.scale ?? 1 / Math.sqrt(depth);
    // As PyTorch's scaled dot-product attention: the query is scaled before the product.
    const scaledQuery = tf.mul(query.reshape([batch * heads, queryLength, depth]), scale); // (batch·heads, T, D)
    const keyTransposed = key.reshape([batch * heads, keyLength, depth]).transpose([0, 2, 1]); // (batch·heads, D, S)
    const scores = tf.matMul(scaledQuery, keyTransposed).reshape([batch, heads, queryLength, keyLength]); // (batch, heads, T, S)
    let mayAttend: tf.Tensor | undefined = bandVisibility(queryLength, keyLength, options); // (T, S) bool
    if (options.mask) {
      const mask = options.mask.dtype === 'bool' ? options.mask : tf.notEqual(options.mask, 0); // (..., S) bool
      mayAttend = mayAttend ? tf.logicalAnd(mayAttend, mask) : mask;
    }
    return maskedSoftmax(scores, mayAttend) as tf.Tensor4D; // (batch, heads, T, S)
  });
}

/**
 * The plain composite attention, `softmax(scale·Q·Kᵀ + mask)·V`: {@link attentionWeightsReference}
 * times the values. The reference the fused kernels are tested against, and the fallback on
 * backends without a fused kernel. It materializes the (batch, heads, T, S) weights.
 *
 * @param value (batch, heads, S, Dv)
 * @returns (batch, heads, T, Dv)
 * @example
 * ```ts
 * const context = attentionReference(query, key, value, { causal: true }); // (batch, heads, T, D)
 * ```
 */
export function attentionReference(query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const weights = attentionWeightsReference(query, key, options); // (batch, heads, T, S)
    const [batch, heads, queryLength, keyLength] = weights.shape;
    const valueDepth = value.shape[3];
    return tf
      .matMul(weights.reshape([batch * heads, queryLength, keyLength]), value.reshape([batch * heads, keyLength, valueDepth])) // (batch·heads, T, Dv)
      .reshape([batch, heads, queryLength, valueDepth]) as tf.Tensor4D; // (batch, heads, T, Dv)
  });
}
