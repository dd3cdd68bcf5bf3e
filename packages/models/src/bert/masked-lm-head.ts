import * as tf from '@tensorflow/tfjs';
import { layerNormalization } from '@heed/attention';
import type { HfParameters } from '../hf/hf-parameters';
import { dense } from './embedding-lookup';

/** The HF names of one family's masked-LM head (transformers' state-dict prefixes). */
export interface MaskedLmHeadNames {
  /** The transform's Linear: `cls.predictions.transform.dense` (BERT), `lm_head.dense` (RoBERTa), `vocab_transform` (DistilBERT). */
  readonly dense: string;
  /** Its LayerNorm: `cls.predictions.transform.LayerNorm`, `lm_head.layer_norm`, `vocab_layer_norm`. */
  readonly layerNorm: string;
  /** The decoder's own bias: `cls.predictions.bias`, `lm_head.bias`, `vocab_projector.bias`. */
  readonly decoderBias: string;
}

/** The variables of a masked-LM head; the decoder weight is the word-embedding table (tied). */
export interface MaskedLmHead {
  readonly dense: { kernel: tf.Variable; bias: tf.Variable };
  readonly norm: { gamma: tf.Variable; beta: tf.Variable };
  readonly decoderBias: tf.Variable;
}

/**
 * Registers the masked-LM head BERT, RoBERTa and DistilBERT share — the transform
 * `LN(act(W·h + b))` and the tied decoder's bias — under the family's HF names, in state-dict
 * order, initialized as HF does.
 *
 * @example
 * ```ts
 * const head = createMaskedLmHead(parameters, { dense: 'lm_head.dense', layerNorm: 'lm_head.layer_norm', decoderBias: 'lm_head.bias' }, 768, 50265, 0.02);
 * ```
 */
export function createMaskedLmHead(parameters: HfParameters, names: MaskedLmHeadNames, hidden: number, vocabSize: number, std: number): MaskedLmHead {
  return {
    dense: parameters.linear(names.dense, hidden, hidden, std),
    norm: parameters.layerNorm(names.layerNorm, hidden),
    decoderBias: parameters.create(names.decoderBias, [vocabSize], [vocabSize], 'copy', 'zeros', std),
  };
}

/**
 * The masked-LM logits `LN(act(h·W + b)) · Eᵀ + bias`: `hidden (batch, tokens, hidden)` →
 * `(batch, tokens, vocab)`, with the decoder tied to `wordEmbeddings (vocab, hidden)`.
 *
 * @example
 * ```ts
 * const logits = maskedLmLogits(last_hidden_state, head, backbone.wordEmbeddings, gelu, 1e-12); // (batch, tokens, vocab)
 * ```
 */
export function maskedLmLogits(hidden: tf.Tensor3D, head: MaskedLmHead, wordEmbeddings: tf.Tensor, activation: (x: tf.Tensor) => tf.Tensor, layerNormEps: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, time, width] = hidden.shape;
    const vocab = wordEmbeddings.shape[0]!;
    const transformed = layerNormalization(activation(dense(hidden, head.dense.kernel, head.dense.bias)), head.norm.gamma, head.norm.beta, layerNormEps); // (batch, time, hidden)
    const scores = tf.matMul(transformed.reshape([batch * time, width]), wordEmbeddings as tf.Tensor2D, false, true); // (batch·time, vocab): tied decoder
    return tf.add(scores, head.decoderBias).reshape([batch, time, vocab]) as tf.Tensor3D; // (batch, time, vocab)
  });
}
