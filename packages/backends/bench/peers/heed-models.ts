import * as tf from '@tensorflow/tfjs';
import type { AttentionOptions } from '../../src/fused/attention-reference';
import { fusedLayerNorm } from '../../src/fused/fused-layer-norm';

/** An attention function with fusedAttention's signature (fused or composite reference). */
export type AttentionFn = (query: tf.Tensor4D, key: tf.Tensor4D, value: tf.Tensor4D, options?: AttentionOptions) => tf.Tensor4D;

/** PyTorch-layout weights (Linear: (out, in)) pre-transposed once to (in, out) for plain matMul. */
export type Weights = Record<string, tf.Tensor>;

function weight(weights: Weights, name: string): tf.Tensor {
  const tensor = weights[name];
  if (!tensor) throw new Error(`missing weight ${name}`);
  return tensor;
}

/**
 * Transposes every 2-D weight (out, in) -> (in, out); vectors stay. A packed attention input
 * projection (`in_proj_weight` (3E, E), `in_proj_bias` (3E)) is split once into q/k/v parts
 * (`q_proj_weight` (E, E) after the transpose, `q_proj_bias` (E), …), so the forward pass runs three
 * GEMMs straight into per-head layout instead of one GEMM, a 5-D transpose and an unstack copy.
 */
export function transposeLinearWeights(weights: Weights): Weights {
  const result: Weights = {};
  for (const [name, tensor] of Object.entries(weights)) {
    const packed = /^(.*)in_proj_(weight|bias)$/.exec(name);
    if (packed) {
      const [, prefix, kind] = packed;
      const parts = tf.split(tensor, 3, 0); // (3E, E) -> 3 × (E, E); (3E) -> 3 × (E)
      ['q', 'k', 'v'].forEach((part, index) => {
        const piece = parts[index] as tf.Tensor;
        result[`${prefix}${part}_proj_${kind}`] = piece.rank === 2 ? tf.transpose(piece) : tf.clone(piece);
      });
      tf.dispose(parts);
    } else result[name] = tensor.rank === 2 ? tf.transpose(tensor) : tf.clone(tensor);
  }
  return result;
}

/**
 * x·W + b (then relu) as @heed/attention's denseLastAxis runs it: tf.matMul, then tf.add (and the
 * activation), each with its own per-input gradient, so the backward pass computes the product's
 * input gradient only where something needs it. (tf.fused.matMul's gradient is one customGrad that
 * always computes both operands' gradients: the q/k/v projections of a constant input then cost
 * three extra GEMMs per step that PyTorch, and heed's layers, skip.)
 */
function linear(x: tf.Tensor2D, weights: Weights, prefix: string, activation?: 'relu'): tf.Tensor2D {
  // (tokens, in) x (in, out) + (out) -> (tokens, out)
  const projected = tf.add(tf.matMul(x, weight(weights, `${prefix}weight`) as tf.Tensor2D), weight(weights, `${prefix}bias`)) as tf.Tensor2D;
  return activation === 'relu' ? tf.relu(projected) : projected;
}

/**
 * nn.MultiheadAttention self-attention (batch_first) in tfjs ops with a pluggable attention core.
 * x: (batch, length, embed) -> (batch, length, embed).
 */
export function multiHeadSelfAttention(x: tf.Tensor3D, weights: Weights, heads: number, attention: AttentionFn, prefix = ''): tf.Tensor3D {
  const [batch, length, embed] = x.shape;
  const depth = embed / heads;
  const tokens = tf.reshape(x, [batch * length, embed]) as tf.Tensor2D;
  // (batch·length, embed) -> (batch·length, embed) -> (batch, length, heads, depth) -> (batch, heads, length, depth)
  const project = (part: 'q' | 'k' | 'v') =>
    tf.transpose(tf.reshape(linear(tokens, weights, `${prefix}${part}_proj_`), [batch, length, heads, depth]), [0, 2, 1, 3]) as tf.Tensor4D;
  const [query, key, value] = [project('q'), project('k'), project('v')];
  const context = attention(query, key, value); // (batch, heads, length, depth)
  // (batch, heads, length, depth) -> (batch, length, heads, depth) -> (batch·length, embed)
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch * length, embed]) as tf.Tensor2D;
  return tf.reshape(linear(merged, weights, `${prefix}out_proj.`), [batch, length, embed]);
}

/** heed's fused layer normalization (as @heed/attention's layerNormalization runs it). */
function layerNorm(x: tf.Tensor3D, weights: Weights, prefix: string): tf.Tensor3D {
  return fusedLayerNorm(x, weight(weights, `${prefix}weight`), weight(weights, `${prefix}bias`), 1e-5) as tf.Tensor3D;
}

/**
 * nn.TransformerEncoderLayer (post-norm, relu, dropout 0, batch_first):
 * x = norm1(x + selfAttention(x)); x = norm2(x + linear2(relu(linear1(x)))).
 */
export function encoderLayer(x: tf.Tensor3D, weights: Weights, heads: number, attention: AttentionFn): tf.Tensor3D {
  const [batch, length, model] = x.shape;
  const attended = layerNorm(tf.add(x, multiHeadSelfAttention(x, weights, heads, attention, 'self_attn.')), weights, 'norm1.');
  // (batch, length, model) -> (batch·length, model)
  const tokens = tf.reshape(attended, [batch * length, model]) as tf.Tensor2D;
  const hidden = linear(tokens, weights, 'linear1.', 'relu'); // (batch·length, feedforward)
  const fed = tf.reshape(linear(hidden, weights, 'linear2.'), [batch, length, model]);
  return layerNorm(tf.add(attended, fed), weights, 'norm2.');
}
