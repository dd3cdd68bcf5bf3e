import * as tf from '@tensorflow/tfjs';
import { maskedSoftmax } from './masked-softmax';

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
 * THE reference path of attention: `weights = softmax(scale · query · keyᵀ)` restricted to the
 * mask, `context = weights · value`, on `(batch, heads, T, dim)`, written with matMul and
 * reshapes only (no einsum, so every tfjs gradient exists). Fast paths are checked against it.
 * Inputs are assumed valid: call {@link scaledDotProductAttention} for checks and routing.
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
  const [batch, heads, queryLength, depth] = query.shape;
  const keyLength = key.shape[2];
  const valueDepth = value.shape[3];
  return tf.tidy(() => {
    const scaledQuery = tf.mul(query.reshape([batch * heads, queryLength, depth]), options.scale); // (batch·heads, T, dim)
    const keyTransposed = key.reshape([batch * heads, keyLength, depth]).transpose([0, 2, 1]); // (batch·heads, dim, S)
    const scores = tf.matMul(scaledQuery, keyTransposed).reshape([batch, heads, queryLength, keyLength]); // (batch, heads, T, S)
    const weights = maskedSoftmax(scores, options.mask); // (batch, heads, T, S)
    const dropped = options.training && options.dropout > 0 ? tf.dropout(weights, options.dropout, undefined, options.seed) : weights;
    const context = tf
      .matMul(dropped.reshape([batch * heads, queryLength, keyLength]), value.reshape([batch * heads, keyLength, valueDepth])) // (batch·heads, T, valueDim)
      .reshape([batch, heads, queryLength, valueDepth]) as tf.Tensor4D; // (batch, heads, T, valueDim)
    return { context, weights: weights as tf.Tensor4D };
  });
}
