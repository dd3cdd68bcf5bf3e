import * as tf from '@tensorflow/tfjs';
import { denseLastAxis } from '../layers/layer-utils';
import type { AttentionMask } from '../masks/attention-mask';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

/** The weights of one multi-head attention, in Keras' shapes. */
export interface MultiHeadWeights {
  /** `(queryDim, heads, keyDim)` */
  queryKernel: tf.Tensor;
  /** `(keyInDim, heads, keyDim)` */
  keyKernel: tf.Tensor;
  /** `(valueInDim, heads, valueDim)` */
  valueKernel: tf.Tensor;
  /** `(heads, valueDim, outputDim)` */
  outputKernel: tf.Tensor;
  queryBias?: tf.Tensor;
  keyBias?: tf.Tensor;
  valueBias?: tf.Tensor;
  outputBias?: tf.Tensor;
}

/** Options of {@link multiHeadAttentionForward}. */
export interface MultiHeadForwardOptions {
  mask?: AttentionMask;
  causal?: boolean;
  dropout?: number;
  training?: boolean;
  /** Also return the per-head weights (which keeps a fused fast path from being used). Default false. */
  returnWeights?: boolean;
}

/**
 * Projects `input (batch, time, inDim)` with a `(inDim, heads, depth)` kernel and splits the heads:
 * `(batch, heads, time, depth)`. The projection of queries, keys and values in
 * {@link multiHeadAttentionForward}, also used on its own to cache keys and values.
 * @internal
 */
export function projectHeads(input: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, time] = input.shape as [number, number, number];
    const [inDim, heads, depth] = kernel.shape as [number, number, number];
    const kernel2d = kernel.reshape([inDim, heads * depth]) as tf.Tensor2D; // (inDim, heads·depth)
    const projected = denseLastAxis(input, kernel2d, bias?.reshape([-1]) as tf.Tensor1D | undefined); // (batch, time, heads·depth)
    return projected.reshape([batch, time, heads, depth]).transpose([0, 2, 1, 3]) as tf.Tensor4D; // (batch, heads, time, depth)
  });
}

/**
 * Attention on already projected heads, then the merge and the output projection:
 * `queries (batch, heads, T, keyDim)`, `keys (batch, heads, S, keyDim)`, `values (batch, heads, S,
 * valueDim)` → `[output (batch, T, outputDim), weights (batch, heads, T, S) | undefined]`.
 * @internal
 */
export function attendHeads(
  queries: tf.Tensor4D,
  keys: tf.Tensor4D,
  values: tf.Tensor4D,
  weights: Pick<MultiHeadWeights, 'outputKernel' | 'outputBias'>,
  options: MultiHeadForwardOptions = {},
): [tf.Tensor3D, tf.Tensor4D | undefined] {
  return tf.tidy(() => {
    const [batch, heads, queryLength] = queries.shape;
    const attentionOptions = { mask: options.mask, causal: options.causal ?? false, dropout: options.dropout ?? 0, training: options.training ?? false };
    // Without weights requested, scaledDotProductAttention may route to a fused fast path.
    const [context, scores] = options.returnWeights
      ? scaledDotProductAttention(queries, keys, values, { ...attentionOptions, returnWeights: true }) // (batch, heads, T, valueDim), (batch, heads, T, S)
      : [scaledDotProductAttention(queries, keys, values, attentionOptions), undefined]; // (batch, heads, T, valueDim)
    const valueDim = weights.outputKernel.shape[1]!;
    const merged = context.transpose([0, 2, 1, 3]).reshape([batch, queryLength, heads * valueDim]); // (batch, T, heads·valueDim)
    const outputKernel = weights.outputKernel.reshape([heads * valueDim, -1]) as tf.Tensor2D; // (heads·valueDim, outputDim)
    const output = denseLastAxis(merged, outputKernel, weights.outputBias as tf.Tensor1D | undefined) as tf.Tensor3D; // (batch, T, outputDim)
    return [output, scores as tf.Tensor4D | undefined];
  });
}

/**
 * The multi-head attention equation on given weights (shared by {@link MultiHeadAttention} and
 * the transformer blocks): project, split heads, scaled dot-product attention, merge heads,
 * project out. `query (batch, T, queryDim)`, `key (batch, S, keyInDim)`, `value (batch, S,
 * valueInDim)` → `[output (batch, T, outputDim), weights (batch, heads, T, S) | undefined]`.
 * @internal
 */
export function multiHeadAttentionForward(
  query: tf.Tensor,
  value: tf.Tensor,
  key: tf.Tensor,
  weights: MultiHeadWeights,
  options: MultiHeadForwardOptions = {},
): [tf.Tensor3D, tf.Tensor4D | undefined] {
  return tf.tidy(() => {
    const queries = projectHeads(query, weights.queryKernel, weights.queryBias); // (batch, heads, T, keyDim)
    const keys = projectHeads(key, weights.keyKernel, weights.keyBias); // (batch, heads, S, keyDim)
    const values = projectHeads(value, weights.valueKernel, weights.valueBias); // (batch, heads, S, valueDim)
    return attendHeads(queries, keys, values, weights, options);
  });
}
