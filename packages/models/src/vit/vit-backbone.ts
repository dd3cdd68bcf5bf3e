import * as tf from '@tensorflow/tfjs';
import { TransformerEncoderBlock } from '@heed/attention';
import { AddPositionEmbedding } from '../layers/add-position-embedding';
import { ClassToken } from '../layers/class-token';
import { LayerNorm } from '../layers/layer-norm';
import { PatchEmbedding } from './patch-embedding';
import { patchGrid, type ResolvedVitConfig } from './vit-config';

/** Options of {@link VitBackbone.forward} (the names of HF `ViTModel.forward`). */
export interface VitForwardOptions {
  /** Also return every block's self-attention weights. Default false. */
  outputAttentions?: boolean;
  /** Also return the embeddings and every block's output. Default false. */
  outputHiddenStates?: boolean;
  /** Dropout on (training mode). Default false. */
  training?: boolean;
}

/**
 * What {@link VitBackbone.forward} returns (HF `BaseModelOutput`); the caller disposes the tensors.
 *
 * @example
 * ```ts
 * const { lastHiddenState, attentions } = backbone.forward(images, { outputAttentions: true });
 * ```
 */
export interface VitBackboneOutput {
  /** The final-layer-normed tokens `(batch, tokens, dim)`, token 0 the class token when there is one. */
  lastHiddenState: tf.Tensor3D;
  /** With `outputHiddenStates`: the embeddings, then each block's output (`depth + 1` tensors `(batch, tokens, dim)`, before the final norm). */
  hiddenStates?: tf.Tensor3D[];
  /** With `outputAttentions`: per block the softmax attention weights `(batch, heads, tokens, tokens)` (query rows, key columns). */
  attentions?: tf.Tensor4D[];
}

/**
 * The Vision Transformer backbone (Dosovitskiy et al. 2021): images `(batch, height, width,
 * channels)` → tokens `(batch, tokens, dim)`. Patches embedded linearly ({@link PatchEmbedding},
 * HF's Conv2d patch projection), a learned class token prepended when `pool` is `cls`, learned
 * positions added, `depth` encoder blocks of @heed/attention (pre-norm by default, `activation`,
 * `layerNormEpsilon`, biased projections), a final layer norm:
 *
 *   x₀ = [class; patches · W + b] + positions
 *   xₗ = blockₗ(xₗ₋₁)
 *   lastHiddenState = LN(x_depth)
 *
 * This is HF's `ViTModel` without the pooler. Its layers are named `patch_embedding`,
 * `class_token`, `position_embedding`, `encoder_block_<i>`, `final_norm`; `.model` is a
 * `tf.LayersModel` images → lastHiddenState whose layers a task (e.g. {@link VitImageClassifier})
 * shares. {@link forward} runs the layers one by one and reads each block's attention from the
 * block itself (`returnAttentionWeights`).
 *
 * @example
 * ```ts
 * const backbone = new VitBackbone(resolveVitConfig({ imageSize: 224, patchSize: 16, channels: 3, dim: 768, depth: 12, heads: 12, mlpDim: 3072, numClasses: 1000, layerNormEpsilon: 1e-12 }));
 * const { lastHiddenState, attentions } = backbone.forward(pixels, { outputAttentions: true }); // (batch, 197, 768), 12 × (batch, 12, 197, 197)
 * ```
 */
export class VitBackbone {
  /** The validated configuration. */
  readonly config: ResolvedVitConfig;
  /** Images `(batch, height, width, channels)` → lastHiddenState `(batch, tokens, dim)`. */
  readonly model: tf.LayersModel;
  readonly patchEmbedding: PatchEmbedding;
  /** Present when `pool` is `cls`. */
  readonly classToken: ClassToken | undefined;
  readonly positionEmbedding: AddPositionEmbedding;
  readonly embeddingDropout: tf.layers.Layer | undefined;
  readonly blocks: readonly TransformerEncoderBlock[];
  readonly finalNorm: LayerNorm;

  /** A new backbone with fresh weights; pass `layersOf` to wrap the layers of an existing (e.g. loaded) model instead. */
  constructor(config: ResolvedVitConfig, layersOf?: tf.LayersModel) {
    this.config = config;
    if (layersOf) {
      const named = (name: string) => layersOf.layers.find((layer) => layer.name === name);
      const patchEmbedding = layersOf.layers.find((layer): layer is PatchEmbedding => layer instanceof PatchEmbedding);
      const positionEmbedding = layersOf.layers.find((layer): layer is AddPositionEmbedding => layer instanceof AddPositionEmbedding);
      const finalNorm = named('final_norm');
      if (!patchEmbedding || !positionEmbedding || !(finalNorm instanceof LayerNorm)) {
        throw new Error(`VitBackbone: the model ${layersOf.name} has no PatchEmbedding, AddPositionEmbedding and final_norm LayerNorm layers; is it a ViT?`);
      }
      this.patchEmbedding = patchEmbedding;
      this.classToken = layersOf.layers.find((layer): layer is ClassToken => layer instanceof ClassToken);
      this.positionEmbedding = positionEmbedding;
      this.embeddingDropout = named('embedding_dropout');
      this.blocks = layersOf.layers.filter((layer): layer is TransformerEncoderBlock => layer instanceof TransformerEncoderBlock);
      this.finalNorm = finalNorm;
      if (this.blocks.length !== config.depth) throw new Error(`VitBackbone: the model has ${this.blocks.length} encoder blocks but the configuration says depth ${config.depth}`);
      this.model = tf.model({ inputs: layersOf.inputs, outputs: finalNorm.output as tf.SymbolicTensor, name: 'vit_backbone' });
      return;
    }
    const [rows, columns] = patchGrid(config);
    this.patchEmbedding = new PatchEmbedding({ patchSize: config.patchSize, dim: config.dim, name: 'patch_embedding' });
    this.classToken = config.pool === 'cls' ? new ClassToken({ name: 'class_token' }) : undefined;
    this.positionEmbedding = new AddPositionEmbedding({ sequenceLength: rows * columns + (this.classToken ? 1 : 0), name: 'position_embedding' });
    this.embeddingDropout = config.dropout > 0 ? tf.layers.dropout({ rate: config.dropout, name: 'embedding_dropout' }) : undefined;
    this.blocks = Array.from(
      { length: config.depth },
      (_, index) =>
        new TransformerEncoderBlock({
          numHeads: config.heads,
          intermediateDim: config.mlpDim,
          dropout: config.dropout,
          attentionDropout: config.attentionDropout,
          intermediateDropout: config.intermediateDropout,
          activation: config.activation,
          normalizeFirst: config.normalizeFirst,
          layerNormEpsilon: config.layerNormEpsilon,
          name: `encoder_block_${index}`,
        }),
    );
    this.finalNorm = new LayerNorm({ epsilon: config.layerNormEpsilon, name: 'final_norm' });
    const [height, width] = config.imageSize;
    const images = tf.input({ shape: [height, width, config.channels], name: 'images' });
    let x = this.patchEmbedding.apply(images) as tf.SymbolicTensor; // (batch, patches, dim)
    if (this.classToken) x = this.classToken.apply(x) as tf.SymbolicTensor; // (batch, 1 + patches, dim)
    x = this.positionEmbedding.apply(x) as tf.SymbolicTensor; // (batch, tokens, dim)
    if (this.embeddingDropout) x = this.embeddingDropout.apply(x) as tf.SymbolicTensor;
    for (const block of this.blocks) x = block.apply(x) as tf.SymbolicTensor; // (batch, tokens, dim)
    this.model = tf.model({ inputs: images, outputs: this.finalNorm.apply(x) as tf.SymbolicTensor, name: 'vit_backbone' });
  }

  /** Tokens the blocks see: `rows · columns` patches, plus the class token with `pool: 'cls'`. */
  get tokens(): number {
    const [rows, columns] = patchGrid(this.config);
    return rows * columns + (this.classToken ? 1 : 0);
  }

  /** The embeddings `x₀ (batch, tokens, dim)` of images `(batch, height, width, channels)`. */
  embed(images: tf.Tensor4D, training = false): tf.Tensor3D {
    return tf.tidy(() => {
      let x = this.patchEmbedding.apply(images) as tf.Tensor; // (batch, patches, dim)
      if (this.classToken) x = this.classToken.apply(x) as tf.Tensor; // (batch, 1 + patches, dim)
      x = this.positionEmbedding.apply(x) as tf.Tensor; // (batch, tokens, dim)
      if (this.embeddingDropout) x = this.embeddingDropout.apply(x, { training }) as tf.Tensor;
      return x as tf.Tensor3D;
    });
  }

  /**
   * Runs images `(batch, height, width, channels)` float32 through the backbone layer by layer,
   * with the attention weights and hidden states HF's `output_attentions`/`output_hidden_states`
   * return. `lastHiddenState` equals `model.predict(images)`.
   */
  forward(images: tf.Tensor4D, options: VitForwardOptions = {}): VitBackboneOutput {
    const training = Boolean(options.training);
    return tf.tidy(() => {
      let x: tf.Tensor = this.embed(images, training);
      const hiddenStates: tf.Tensor3D[] = [x as tf.Tensor3D];
      const attentions: tf.Tensor4D[] = [];
      for (const block of this.blocks) {
        if (options.outputAttentions) {
          const [output, weights] = block.apply(x, { returnAttentionWeights: true, training }) as [tf.Tensor3D, tf.Tensor4D]; // (batch, tokens, dim), (batch, heads, tokens, tokens)
          attentions.push(weights);
          x = output;
        } else {
          x = block.apply(x, { training }) as tf.Tensor;
        }
        hiddenStates.push(x as tf.Tensor3D);
      }
      const lastHiddenState = this.finalNorm.apply(x) as tf.Tensor3D;
      return {
        lastHiddenState,
        ...(options.outputHiddenStates ? { hiddenStates } : {}),
        ...(options.outputAttentions ? { attentions } : {}),
      };
    });
  }
}
