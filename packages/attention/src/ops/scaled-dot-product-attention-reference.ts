import * as tf from '@tensorflow/tfjs';
import { attentionWeightsReference } from '@heed/backends';

/** Options of {@link scaledDotProductAttentionReference} (already validated). */
export interface ReferenceAttentionOptions {
  /** Bool `(batch|1, heads|1, T|1, S)`, true = may attend (causal already merged in). */
  mask?: tf.Tensor4D;
  scale: number;
  /** Dropout rate on the attention weights, applied only when `training`. */
  dropout: number;
  training: boolean;
  seed?: number;
}

/**
 * The reference path of attention: `weights = softmax(scale · query · keyᵀ)` restricted to the
 * mask, `context = weights · value`, on `(batch, heads, T, dim)`. The weights are
 * `attentionWeightsReference` of @heed/backends, the one composite every fused path (the
 * backends' kernels, {@link scaledDotProductAttention}'s fast path) is checked against; this adds
 * dropout on the weights while training. Written with matMul and reshapes only (no einsum, so
 * every tfjs gradient exists). Inputs are assumed valid: call {@link scaledDotProductAttention}
 * for checks and routing.
 *
 * Returns `context (batch, heads, T, valueDim)` and the pre-dropout `weights (batch, heads, T, S)`.
 *
 * @example
 * ```ts
 * const { context, weights } = scaledDotProductAttentionReference(q, k, v, { scale: 0.5, dropout: 0, training: false });
 * ```
 */
export function scaledDotProductAttentionReference(
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  options: ReferenceAttentionOptions,
): { context: tf.Tensor4D; weights: tf.Tensor4D } {
  const [batch, heads, queryLength] = query.shape;
  const [, , keyLength, valueDepth] = value.shape;
  return tf.tidy(() => {
    const weights = attentionWeightsReference(query, key, { mask: options.mask, scale: options.scale }); // (batch, heads, T, S)
    const dropped = options.training && options.dropout > 0 ? tf.dropout(weights, options.dropout, undefined, options.seed) : weights;
    const context = tf
      .matMul(dropped.reshape([batch * heads, queryLength, keyLength]), value.reshape([batch * heads, keyLength, valueDepth])) // (batch·heads, T, valueDim)
      .reshape([batch, heads, queryLength, valueDepth]) as tf.Tensor4D; // (batch, heads, T, valueDim)
    return { context, weights };
  });
}
