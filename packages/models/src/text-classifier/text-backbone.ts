import type * as tf from '@tensorflow/tfjs';

/**
 * What a {@link TextClassifier} needs of a backbone (one per `kind`): symbolic token ids in,
 * pooled features `(batch, width)` out for the classification head, and the attention that
 * explains a decision.
 *
 * @example
 * ```ts
 * const backbone: TextBackbone = new TextTransformerBackbone(config);
 * const logits = tf.layers.dense({ units: 2 }).apply(backbone.pooledOutput); // (batch, 2)
 * ```
 */
export interface TextBackbone {
  /** The graph input: token ids `(batch, maxLength)` int32. */
  readonly inputs: tf.SymbolicTensor;
  /** Per-token features `(batch, time, width)`. */
  readonly sequenceOutput: tf.SymbolicTensor;
  /** Pooled features `(batch, width)`, what the head classifies. */
  readonly pooledOutput: tf.SymbolicTensor;
  /**
   * The explanation of ids `(batch, time)`: the pooling weights `(batch, time)` of
   * `bilstm-attention`, or the blocks' attention `(layers, batch, heads, time, time)` of
   * `transformer`. The caller disposes it.
   */
  attention(ids: tf.Tensor2D): tf.Tensor;
}
