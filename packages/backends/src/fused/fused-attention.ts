import * as tf from '@tensorflow/tfjs';
import { describeValue } from '../validation/describe-value';
import { attentionReference, type AttentionOptions } from './attention-reference';
import { poisonAttentionOutput } from './attention-nan-poison';
import { FusedAttention, type FusedAttentionAttrs } from './fused-attention-kernel';
import { kernelAppliesNanContract } from './kernel-applies-nan-contract';
import { hasFusedAttentionKernel, registerFusedAttention } from './register-fused-attention';

/** Options of {@link fusedAttention}. */
export type FusedAttentionOptions = AttentionOptions;

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function checkInputs(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, options: FusedAttentionOptions): void {
  for (const [name, tensor] of [['query', query], ['key', key], ['value', value]] as const) {
    if (!(tensor instanceof tf.Tensor)) throw new Error(`fusedAttention: ${name} must be a tf.Tensor`);
    if (tensor.rank !== 4) throw new Error(`fusedAttention: ${name} must have rank 4 (batch, heads, time, depth); got shape ${shapeText(tensor.shape)}`);
    if (tensor.dtype !== 'float32') throw new Error(`fusedAttention: ${name} must be float32; got ${tensor.dtype}`);
  }
  const [batch, heads, , depth] = query.shape;
  const [keyBatch, keyHeads, , keyDepth] = key.shape;
  if (keyBatch !== batch || keyHeads !== heads || keyDepth !== depth) {
    throw new Error(`fusedAttention: key ${shapeText(key.shape)} must match query ${shapeText(query.shape)} in batch, heads and depth`);
  }
  if (value.shape.join() !== key.shape.join()) {
    throw new Error(`fusedAttention: value ${shapeText(value.shape)} must have the shape of key ${shapeText(key.shape)}`);
  }
  const { mask, window, scale } = options;
  if (mask !== undefined) {
    if (!(mask instanceof tf.Tensor)) throw new Error('fusedAttention: options.mask must be a tf.Tensor');
    const scores: [number, number, number, number] = [batch ?? 1, heads ?? 1, query.shape[2] ?? 1, key.shape[2] ?? 1];
    const offset = 4 - mask.rank;
    const fits = mask.rank <= 4 && mask.shape.every((size, axis) => size === 1 || size === scores[axis + offset]);
    if (!fits) {
      throw new Error(
        `fusedAttention: mask ${shapeText(mask.shape)} must broadcast to the scores (batch, heads, T, S) = ${shapeText(scores)}`,
      );
    }
  }
  if (window !== undefined && !(Number.isInteger(window) && window >= 0)) {
    throw new Error(`fusedAttention: window must be a non-negative integer radius; got ${window}`);
  }
  if (scale !== undefined && !(typeof scale === 'number' && Number.isFinite(scale) && scale > 0)) throw new Error(`fusedAttention: scale must be a positive finite number; got ${describeValue(scale)}`);
}

/** The mask as the kernels take it: float32 0/1 of rank 4, (1, 1, 1, 1) ones when absent. */
function kernelMask(mask: tf.Tensor | undefined): tf.Tensor4D {
  if (!mask) return tf.ones([1, 1, 1, 1]);
  const shape = [...new Array<number>(4 - mask.rank).fill(1), ...mask.shape] as [number, number, number, number];
  // (...) -> (batch | 1, heads | 1, T | 1, S | 1)
  const visible = mask.dtype === 'float32' || mask.dtype === 'int32' ? tf.notEqual(mask, 0) : mask;
  return tf.reshape(tf.cast(visible, 'float32'), shape) as tf.Tensor4D;
}

/**
 * Scaled dot-product attention as one fused, differentiable op: softmax(scale·Q·Kᵀ + mask)·V
 * without materializing the (T×S) scores (one row at a time forward; backward recomputes the
 * probabilities from the saved row log-sum-exp, FlashAttention-2 style, with O(S·D) extra memory).
 * Runs as a tfjs kernel on cpu and wasm (WebAssembly SIMD when loaded); other backends fall back
 * to the composite {@link attentionReference}. A fully masked row gives zeros, never NaN. NaN
 * propagates as in PyTorch 1.13's scaled dot-product attention with a boolean mask, masked and
 * causal-future positions included: a NaN in query row i makes output row i NaN, a NaN in any key
 * makes the whole (batch, head) slice NaN, a NaN in column d of any value makes output column d
 * NaN; the gradients follow the dense chain rule (see `poisonAttentionGradients`). The same on
 * every path and backend.
 *
 * @param query (batch, heads, T, D)
 * @param key (batch, heads, S, D)
 * @param value (batch, heads, S, D)
 * @param options `mask` bool/0-1 broadcastable to (batch, heads, T, S), true = may attend (Keras
 *   polarity); `causal` top-left aligned (key j visible to query i iff j <= i); `window` radius r
 *   (visible iff |i − j| <= r); `scale` default 1/sqrt(D).
 * @returns (batch, heads, T, D)
 * @see Dao, "FlashAttention-2: Faster Attention with Better Parallelism and Work Partitioning", 2023.
 *
 * @example
 * ```ts
 * import { fusedAttention } from '@heed/backends';
 * const query = tf.randomNormal([2, 4, 10, 16]);  // (batch, heads, T, D)
 * const key = tf.randomNormal([2, 4, 12, 16]);    // (batch, heads, S, D)
 * const value = tf.randomNormal([2, 4, 12, 16]);
 * const context = fusedAttention(query, key, value, { causal: true }); // (2, 4, 10, 16)
 * const dQuery = tf.grad((q: tf.Tensor4D) => fusedAttention(q, key, value).sum())(query);
 * ```
 */
export function fusedAttention(query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options: FusedAttentionOptions = {}): tf.Tensor4D {
  checkInputs(query, key, value, options);
  registerFusedAttention();
  if (!hasFusedAttentionKernel(tf.getBackend())) return attentionReference(query, key, value, options);
  const attrs: FusedAttentionAttrs = {
    scale: options.scale ?? 1 / Math.sqrt(query.shape[3]),
    causal: options.causal ?? false,
    window: options.window ?? -1,
  };
  return tf.tidy(() => {
    const mask = kernelMask(options.mask);
    const [output] = tf.engine().runKernel(FusedAttention, { query, key, value, mask }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    if (kernelAppliesNanContract(tf.getBackend())) return output as tf.Tensor4D;
    // The NaN the kernels never see (masked and causal-future keys and values), off the tape:
    // the op's gradient adds its own (fused-attention-grad.ts).
    const withNan = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
      value: poisonAttentionOutput(args[0] as tf.Tensor, query, key, value),
      gradFunc: (dy: tf.Tensor) => dy,
    }));
    return withNan(output!) as tf.Tensor4D;
  });
}
