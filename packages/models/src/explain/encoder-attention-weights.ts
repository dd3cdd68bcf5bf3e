import * as tf from '@tensorflow/tfjs';
import { layerNormalization, scaledDotProductAttention, type AttentionMask, type TransformerEncoderBlock } from '@heed/attention';

function weightOf(block: tf.layers.Layer, name: string): tf.Tensor {
  const found = block.weights.find((weight) => weight.originalName === name || weight.originalName.endsWith(`/${name}`));
  if (!found) throw new Error(`encoderAttentionWeights: block ${block.name} has no weight ${name} (is it built?)`);
  return found.read();
}

/**
 * The per-head self-attention weights `(batch, heads, time, time)` of a built
 * {@link TransformerEncoderBlock} of @heed/attention for inputs `x (batch, time, width)`, computed
 * from the block's own weights exactly as its forward pass does (its layer norm first when
 * `normalizeFirst`, then `softmax(q·kᵀ/√keyDim)` over the keys the mask allows). Rows sum to 1;
 * masked keys get exactly 0.
 *
 * @example
 * ```ts
 * const weights = encoderAttentionWeights(block, x, paddingMask(lengths)); // (batch, heads, time, time)
 * const next = block.apply(x, { attentionMask: paddingMask(lengths) }) as tf.Tensor;
 * ```
 */
export function encoderAttentionWeights(block: TransformerEncoderBlock, x: tf.Tensor, mask?: AttentionMask): tf.Tensor4D {
  if (x.rank !== 3) throw new Error(`encoderAttentionWeights: x must have shape (batch, time, width); got shape [${x.shape}]`);
  return tf.tidy(() => {
    const [batch, time, width] = x.shape as [number, number, number];
    const queryKernel = weightOf(block, 'self_attention/query/kernel'); // (width, heads, keyDim)
    if (queryKernel.shape[0] !== width) throw new Error(`encoderAttentionWeights: x [${x.shape}] does not match the block's width ${queryKernel.shape[0]}`);
    const heads = queryKernel.shape[1]!;
    const keyDim = queryKernel.shape[2]!;
    const input = block.config.normalizeFirst
      ? layerNormalization(x, weightOf(block, 'self_attention_layer_norm/gamma'), weightOf(block, 'self_attention_layer_norm/beta'), block.config.layerNormEpsilon)
      : x;
    const project = (kind: 'query' | 'key') => {
      const kernel = weightOf(block, `self_attention/${kind}/kernel`).reshape([width, heads * keyDim]); // (width, heads·keyDim)
      const bias = weightOf(block, `self_attention/${kind}/bias`).reshape([heads * keyDim]); // (heads·keyDim,)
      const flat = tf.add(tf.matMul(input.reshape([batch * time, width]), kernel), bias); // (batch·time, heads·keyDim)
      return flat.reshape([batch, time, heads, keyDim]).transpose([0, 2, 1, 3]); // (batch, heads, time, keyDim)
    };
    const keys = project('key');
    const [, weights] = scaledDotProductAttention(project('query'), keys, keys, { mask, returnWeights: true }) as [tf.Tensor, tf.Tensor4D];
    return weights; // (batch, heads, time, time)
  });
}
