import type { NamedAttrMap } from '@tensorflow/tfjs';

/**
 * Kernel name of the fused attention forward pass. Inputs: `query` (batch, heads, T, D), `key`
 * and `value` (batch, heads, S, D), `mask` float32 of rank 4 broadcastable to
 * (batch, heads, T, S) (1 = may attend). Outputs: `output` (batch, heads, T, D) and
 * `logSumExp` (batch, heads, T), the row log-sum-exp of the scaled, masked scores that the
 * backward pass recomputes probabilities from (−Infinity for a fully masked row).
 *
 * @example
 * ```ts
 * const [output, logSumExp] = tf.engine().runKernel(FusedAttention, { query, key, value, mask },
 *   { scale: 0.125, causal: false, window: -1 }) as tf.Tensor[];
 * ```
 */
export const FusedAttention = 'HeedFusedAttention';

/**
 * Kernel name of the fused attention backward pass. Inputs: the forward inputs, its two
 * outputs and `dOutput`; outputs: `dQuery`, `dKey`, `dValue`.
 *
 * @example
 * ```ts
 * const [dQuery, dKey, dValue] = tf.engine().runKernel(FusedAttentionGrad,
 *   { query, key, value, mask, output, logSumExp, dOutput }, attrs) as tf.Tensor[];
 * ```
 */
export const FusedAttentionGrad = 'HeedFusedAttentionGrad';

/** Attributes of {@link FusedAttention} and {@link FusedAttentionGrad}. */
export interface FusedAttentionAttrs extends NamedAttrMap {
  /** Multiplies query·key before the softmax. */
  scale: number;
  /** Top-left aligned causal mask: key j is visible to query i iff j <= i. */
  causal: boolean;
  /** Band radius: key j is visible to query i iff |i - j| <= window; −1 for none. */
  window: number;
}
