import * as tf from '@tensorflow/tfjs';
import { AttentionPooling } from '../layers/attention-pooling';
import { TokenEmbedding } from '../layers/token-embedding';
import type { TextBackbone } from '../text-classifier/text-backbone';
import type { BilstmAttentionConfig } from './bilstm-attention-config';

/**
 * The "LSTM + attention" text backbone (Raffel & Ellis 2015; Yang et al. 2016 without the context
 * query): token ids `(batch, time)` → {@link TokenEmbedding} → bidirectional LSTM (concatenated
 * directions, `(batch, time, 2·hiddenDim)`) → additive {@link AttentionPooling} over the real
 * tokens → `(batch, 2·hiddenDim)`. Its layers are named `token_embedding`, `bilstm`,
 * `attention_pooling`; the pooling weights are the explanation ({@link attention}).
 *
 * @example
 * ```ts
 * const backbone = new BilstmAttentionBackbone({ vocabSize: 4000, embeddingDim: 64, hiddenDim: 32, attentionUnits: 64, padId: 0 }, 40);
 * const weights = backbone.attention(ids); // (batch, 40), 0 on padding
 * ```
 */
export class BilstmAttentionBackbone implements TextBackbone {
  readonly inputs: tf.SymbolicTensor;
  readonly sequenceOutput: tf.SymbolicTensor;
  readonly pooledOutput: tf.SymbolicTensor;
  readonly tokenEmbedding: TokenEmbedding;
  readonly bilstm: tf.layers.Layer;
  readonly pooling: AttentionPooling;

  /**
   * New layers on a new `token_ids` input of `maxLength` tokens; or, with `layersOf`, the layers
   * of an existing (e.g. loaded) classifier model.
   */
  constructor(config: BilstmAttentionConfig, maxLength: number, layersOf?: tf.LayersModel) {
    if (layersOf) {
      const tokenEmbedding = layersOf.layers.find((layer): layer is TokenEmbedding => layer instanceof TokenEmbedding);
      const bilstm = layersOf.layers.find((layer) => layer.getClassName() === 'Bidirectional');
      const pooling = layersOf.layers.find((layer): layer is AttentionPooling => layer instanceof AttentionPooling);
      if (!tokenEmbedding || !bilstm || !pooling) throw new Error(`BilstmAttentionBackbone: the model ${layersOf.name} has no TokenEmbedding, Bidirectional and AttentionPooling layers; is it a bilstm-attention classifier?`);
      [this.tokenEmbedding, this.bilstm, this.pooling] = [tokenEmbedding, bilstm, pooling];
      this.inputs = layersOf.inputs[0]!;
      this.sequenceOutput = bilstm.output as tf.SymbolicTensor;
      this.pooledOutput = pooling.output as tf.SymbolicTensor;
      return;
    }
    this.tokenEmbedding = new TokenEmbedding({ vocabSize: config.vocabSize, dim: config.embeddingDim, name: 'token_embedding' });
    const lstm = tf.layers.lstm({ units: config.hiddenDim, returnSequences: true });
    this.bilstm = tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat', name: 'bilstm' });
    this.pooling = new AttentionPooling({ units: config.attentionUnits, padId: config.padId, name: 'attention_pooling' });
    this.inputs = tf.input({ shape: [maxLength], dtype: 'int32', name: 'token_ids' });
    const embedded = this.tokenEmbedding.apply(this.inputs) as tf.SymbolicTensor; // (batch, time, embeddingDim)
    this.sequenceOutput = this.bilstm.apply(embedded) as tf.SymbolicTensor; // (batch, time, 2·hiddenDim)
    this.pooledOutput = this.pooling.apply([this.sequenceOutput, this.inputs]) as tf.SymbolicTensor; // (batch, 2·hiddenDim)
  }

  /** The attention pooling weights `(batch, time)` of ids `(batch, time)`: rows sum to 1 over the real tokens, padding 0. */
  attention(ids: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const states = this.bilstm.apply(this.tokenEmbedding.apply(ids)) as tf.Tensor; // (batch, time, 2·hiddenDim)
      return this.pooling.attentionWeights(states, ids); // (batch, time)
    });
  }
}
