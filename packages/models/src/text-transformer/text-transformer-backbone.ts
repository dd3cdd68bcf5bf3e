import * as tf from '@tensorflow/tfjs';
import { TransformerEncoderBlock } from '@heed/attention';
import { AddPositionEmbedding } from '../layers/add-position-embedding';
import { LayerNorm } from '../layers/layer-norm';
import { PaddingMaskFromIds } from '../layers/padding-mask-from-ids';
import { TokenEmbedding } from '../layers/token-embedding';
import { TokenPooling } from '../layers/token-pooling';
import type { TextBackbone } from '../text-classifier/text-backbone';
import { GraphMaskedEncoderBlock } from './graph-masked-encoder-block';
import type { TextTransformerConfig } from './text-transformer-config';

/** Options of {@link TextTransformerBackbone.forward} (the names of HF `BertModel.forward`). */
export interface TextTransformerForwardOptions {
  /** Also return every block's self-attention weights. Default false. */
  outputAttentions?: boolean;
  /** Also return the embeddings and every block's output. Default false. */
  outputHiddenStates?: boolean;
  /** Dropout on (training mode). Default false. */
  training?: boolean;
}

/**
 * What {@link TextTransformerBackbone.forward} returns; the caller disposes the tensors.
 *
 * @example
 * ```ts
 * const { lastHiddenState, pooledOutput, attentions } = backbone.forward(ids, { outputAttentions: true });
 * ```
 */
export interface TextTransformerOutput {
  /** The final-layer-normed tokens `(batch, time, dim)`. */
  lastHiddenState: tf.Tensor3D;
  /** The `[CLS]` (first) token of `lastHiddenState`, `(batch, dim)`. */
  pooledOutput: tf.Tensor2D;
  /** With `outputHiddenStates`: the embeddings, then each block's output (`depth + 1` tensors, before the final norm). */
  hiddenStates?: tf.Tensor3D[];
  /** With `outputAttentions`: per block the attention weights `(batch, heads, time, time)`; padding keys get exactly 0. */
  attentions?: tf.Tensor4D[];
}

/**
 * A small BERT-style text encoder: token ids `(batch, time)` → {@link TokenEmbedding} + learned
 * {@link AddPositionEmbedding} → pre-norm GELU encoder blocks of @heed/attention with the padding
 * mask of the ids ({@link PaddingMaskFromIds}) → final {@link LayerNorm} → `[CLS]`
 * ({@link TokenPooling}):
 *
 *   x₀ = E[ids] + P[0 … time − 1]
 *   xₗ = blockₗ(xₗ₋₁, mask)
 *   pooled = LN(x_depth)[:, 0]
 *
 * Layers named `token_embedding`, `position_embedding`, `padding_mask`, `encoder_block_<i>`,
 * `final_norm`, `cls_pool`. {@link forward} reads each block's attention from the block
 * (`returnAttentionWeights`).
 *
 * @example
 * ```ts
 * const backbone = new TextTransformerBackbone({ vocabSize: 4000, maxLength: 40, embeddingDim: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1, padId: 0 });
 * const { attentions } = backbone.forward(ids, { outputAttentions: true }); // 2 × (batch, 4, 40, 40)
 * ```
 */
export class TextTransformerBackbone implements TextBackbone {
  readonly inputs: tf.SymbolicTensor;
  readonly sequenceOutput: tf.SymbolicTensor;
  readonly pooledOutput: tf.SymbolicTensor;
  readonly tokenEmbedding: TokenEmbedding;
  readonly positionEmbedding: AddPositionEmbedding;
  readonly paddingMask: PaddingMaskFromIds;
  readonly blocks: readonly TransformerEncoderBlock[];
  readonly finalNorm: LayerNorm;
  readonly pooling: TokenPooling;

  /** New layers on a new `token_ids` input; or, with `layersOf`, the layers of an existing (e.g. loaded) classifier model. */
  constructor(config: TextTransformerConfig, layersOf?: tf.LayersModel) {
    if (layersOf) {
      const find = <T extends tf.layers.Layer>(type: abstract new (...args: never[]) => T): T => {
        const found = layersOf.layers.find((layer): layer is T => layer instanceof type);
        if (!found) throw new Error(`TextTransformerBackbone: the model ${layersOf.name} has no ${type.name} layer; is it a transformer classifier?`);
        return found;
      };
      this.tokenEmbedding = find(TokenEmbedding);
      this.positionEmbedding = find(AddPositionEmbedding);
      this.paddingMask = find(PaddingMaskFromIds);
      this.finalNorm = find(LayerNorm);
      this.pooling = find(TokenPooling);
      this.blocks = layersOf.layers.filter((layer): layer is TransformerEncoderBlock => layer instanceof TransformerEncoderBlock);
      if (this.blocks.length !== config.depth) throw new Error(`TextTransformerBackbone: the model has ${this.blocks.length} encoder blocks but the configuration says depth ${config.depth}`);
      this.inputs = layersOf.inputs[0]!;
      this.sequenceOutput = this.finalNorm.output as tf.SymbolicTensor;
      this.pooledOutput = this.pooling.output as tf.SymbolicTensor;
      return;
    }
    this.tokenEmbedding = new TokenEmbedding({ vocabSize: config.vocabSize, dim: config.embeddingDim, name: 'token_embedding' });
    this.positionEmbedding = new AddPositionEmbedding({ sequenceLength: config.maxLength, name: 'position_embedding' });
    this.paddingMask = new PaddingMaskFromIds({ padId: config.padId, name: 'padding_mask' });
    this.blocks = Array.from(
      { length: config.depth },
      (_, index) =>
        new GraphMaskedEncoderBlock({ numHeads: config.heads, intermediateDim: config.mlpDim, dropout: config.dropout, activation: 'gelu', normalizeFirst: true, name: `encoder_block_${index}` }),
    );
    this.finalNorm = new LayerNorm({ epsilon: 1e-6, name: 'final_norm' });
    this.pooling = new TokenPooling({ mode: 'cls', name: 'cls_pool' });
    this.inputs = tf.input({ shape: [config.maxLength], dtype: 'int32', name: 'token_ids' });
    let x = this.tokenEmbedding.apply(this.inputs) as tf.SymbolicTensor; // (batch, time, dim)
    x = this.positionEmbedding.apply(x) as tf.SymbolicTensor; // (batch, time, dim)
    const mask = this.paddingMask.apply(this.inputs) as tf.SymbolicTensor; // (batch, 1, time)
    for (const block of this.blocks) x = block.apply([x, mask]) as tf.SymbolicTensor; // (batch, time, dim)
    this.sequenceOutput = this.finalNorm.apply(x) as tf.SymbolicTensor; // (batch, time, dim)
    this.pooledOutput = this.pooling.apply(this.sequenceOutput) as tf.SymbolicTensor; // (batch, dim)
  }

  /**
   * Runs ids `(batch, time)` int32 through the backbone layer by layer, with the attention weights
   * and hidden states HF's `output_attentions`/`output_hidden_states` return.
   */
  forward(ids: tf.Tensor2D, options: TextTransformerForwardOptions = {}): TextTransformerOutput {
    const training = Boolean(options.training);
    return tf.tidy(() => {
      let x = this.positionEmbedding.apply(this.tokenEmbedding.apply(ids)) as tf.Tensor; // (batch, time, dim)
      const mask = this.paddingMask.apply(ids) as tf.Tensor; // (batch, 1, time)
      const hiddenStates: tf.Tensor3D[] = [x as tf.Tensor3D];
      const attentions: tf.Tensor4D[] = [];
      for (const block of this.blocks) {
        if (options.outputAttentions) {
          const [output, weights] = block.apply([x, mask], { returnAttentionWeights: true, training }) as [tf.Tensor3D, tf.Tensor4D]; // (batch, time, dim), (batch, heads, time, time)
          attentions.push(weights);
          x = output;
        } else {
          x = block.apply([x, mask], { training }) as tf.Tensor;
        }
        hiddenStates.push(x as tf.Tensor3D);
      }
      const lastHiddenState = this.finalNorm.apply(x) as tf.Tensor3D;
      return {
        lastHiddenState,
        pooledOutput: this.pooling.apply(lastHiddenState) as tf.Tensor2D,
        ...(options.outputHiddenStates ? { hiddenStates } : {}),
        ...(options.outputAttentions ? { attentions } : {}),
      };
    });
  }

  /** The blocks' attention `(layers, batch, heads, time, time)` of ids `(batch, time)`. */
  attention(ids: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const { attentions, lastHiddenState, pooledOutput } = this.forward(ids, { outputAttentions: true });
      tf.dispose([lastHiddenState, pooledOutput]);
      return tf.stack(attentions!); // (layers, batch, heads, time, time)
    });
  }
}
