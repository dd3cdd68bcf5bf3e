import * as tf from '@tensorflow/tfjs';
import { checkPositiveInteger } from '@heed/backends';
import { attentionRollout } from '../explain/attention-rollout';
import { TokenPooling } from '../layers/token-pooling';
import { heedConfigJson, type HeedSavedModel } from '../pretrained/heed-format';
import { isBrowserStorageDestination, isFolderDestination, locateSavedModel, readHeedModel, readHeedModelFromStorage, saveHeedModel, saveHeedModelToStorage } from '../pretrained/heed-model-io';
import { layersDestination } from '../pretrained/layers-destination';
import { layersModelSlots, loadSavedInto, readSlots } from '../pretrained/saved-tensors';
import { VitBackbone, type VitBackboneOutput, type VitForwardOptions } from './vit-backbone';
import { patchGrid, resolveVitConfig, type ResolvedVitConfig, type VisionTransformerConfig } from './vit-config';

const METADATA_KEY = 'heedVisionTransformer';

/** The family name of ViTs in the registry and in a saved `config.json`. */
export const VIT_FAMILY = 'vit';

/**
 * What {@link VisionTransformer.attentionMaps} returns for one image.
 *
 * @example
 * ```ts
 * const { grid, rollout, classAttention } = await vit.attentionMaps(image); // grid [4, 4], rollout: 16 weights
 * ```
 */
export interface VitAttentionMaps {
  /** Patches per column and per row, `[rows, columns]`; patch `i` is at row `⌊i / columns⌋`. */
  grid: [number, number];
  /**
   * Per layer, per head: the attention of the class token over the patches (`rows·columns`
   * values, the class token's weight on itself left out). With `pool: 'mean'` (no class token):
   * the mean attention every patch gives each patch.
   */
  classAttention: Float32Array[][];
  /** Attention rollout (Abnar & Zuidema 2020) of the same row, rescaled to sum to 1 over the patches. */
  rollout: Float32Array;
  /** All attention weights, `(layers, heads, tokens, tokens)` row-major, token 0 the class token with `pool: 'cls'`. */
  weights: Float32Array;
  /** `[layers, heads, tokens, tokens]`. */
  shape: [number, number, number, number];
  /** The model's class scores (logits) for the image. */
  logits: Float32Array;
}

/**
 * What {@link VitImageClassifier.forward} returns: the backbone's outputs and the logits
 * `(batch, numClasses)`; the caller disposes the tensors.
 *
 * @example
 * ```ts
 * const { logits, attentions } = vit.forward(images, { outputAttentions: true });
 * ```
 */
export interface VitImageClassifierOutput extends VitBackboneOutput {
  logits: tf.Tensor2D;
}

/**
 * Vision Transformer image classifier (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words";
 * HF `ViTForImageClassification`): the {@link VitBackbone} (patches, class token, positions,
 * encoder blocks, final norm), then the class token (`pool: 'cls'`) or the mean token, then a
 * linear head. `(batch, height, width, channels)` → logits `(batch, numClasses)`.
 * `VisionTransformer` is the same class under its earlier name.
 *
 * The network is a plain `tf.LayersModel` (`.model`), so @heed/training's `Trainer` trains it;
 * `save('file://dir')` writes the heed format (`config.json` + `model.safetensors`).
 *
 * @example
 * ```ts
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10 });
 * const logits = vit.predict(images); // images (batch, 28, 28, 1) → (batch, 10)
 * const maps = await vit.attentionMaps(images.slice(0, 1)); // maps.rollout: 16 patch weights (4 × 4)
 * await vit.save('indexeddb://vit');
 * const again = await VisionTransformer.load('indexeddb://vit');
 * ```
 */
export class VitImageClassifier {
  /** The validated configuration. */
  readonly config: ResolvedVitConfig;
  /** The underlying model: images in, logits out. */
  readonly model: tf.LayersModel;
  /** The backbone, sharing its layers (and weights) with {@link model}. */
  readonly backbone: VitBackbone;

  constructor(config: VisionTransformerConfig, model?: tf.LayersModel) {
    this.config = resolveVitConfig(config);
    if (model) {
      this.model = model;
      this.backbone = new VitBackbone(this.config, model);
    } else {
      this.backbone = new VitBackbone(this.config);
      this.model = VitImageClassifier.buildModel(this.config, this.backbone);
    }
  }

  /** The task graph on the backbone's layers: lastHiddenState → pool → head. */
  private static buildModel(config: ResolvedVitConfig, backbone: VitBackbone): tf.LayersModel {
    const pooled = new TokenPooling({ mode: config.pool, name: 'pool' }).apply(backbone.model.outputs[0]!) as tf.SymbolicTensor; // (batch, dim)
    const logits = tf.layers.dense({ units: config.numClasses, name: 'head' }).apply(pooled) as tf.SymbolicTensor; // (batch, numClasses)
    const model = tf.model({ inputs: backbone.model.inputs, outputs: logits, name: 'vision_transformer' });
    model.setUserDefinedMetadata({ [METADATA_KEY]: VitImageClassifier.jsonConfig(config) });
    return model;
  }

  private static jsonConfig(config: ResolvedVitConfig): VisionTransformerConfig & { imageSize: [number, number] } {
    return { ...config, imageSize: [...config.imageSize] };
  }

  /** The configuration as plain JSON; `new VitImageClassifier(getConfig())` builds the same architecture. */
  getConfig(): VisionTransformerConfig & { imageSize: [number, number] } {
    return VitImageClassifier.jsonConfig(this.config);
  }

  /** A new, freshly initialized ViT from {@link getConfig}'s JSON. */
  static fromConfig(config: VisionTransformerConfig): VitImageClassifier {
    return new VitImageClassifier(config);
  }

  /** Number of trainable parameters. */
  countParams(): number {
    return this.model.countParams();
  }

  /**
   * Checks images against the configuration and returns them as `(batch, height, width, channels)`
   * float32 (a single `(height, width, channels)` image gets a batch axis). The caller disposes
   * the result when it is not the input itself.
   */
  checkImages(images: tf.Tensor): tf.Tensor4D {
    const [height, width] = this.config.imageSize;
    const channels = this.config.channels;
    const expected = `(batch, ${height}, ${width}, ${channels})`;
    const shape = images.rank === 3 ? [1, ...images.shape] : images.shape;
    if (shape.length !== 4 || shape[1] !== height || shape[2] !== width || shape[3] !== channels) {
      throw new Error(`VisionTransformer: images must have shape ${expected} or (${height}, ${width}, ${channels}); got shape [${images.shape}] (resize or pad them first)`);
    }
    if (images.dtype !== 'float32') throw new Error(`VisionTransformer: images must be float32 in [0, 1]; got ${images.dtype} with shape [${images.shape}]`);
    return (images.rank === 3 ? images.expandDims(0) : images) as tf.Tensor4D;
  }

  /** Logits `(batch, numClasses)` for images `(batch, height, width, channels)` (inference mode). */
  predict(images: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.model.predict(this.checkImages(images)) as tf.Tensor2D);
  }

  /** The most likely class of each image, in batches of `batchSize` (default 256). */
  async classify(images: tf.Tensor, batchSize = 256): Promise<Int32Array> {
    checkPositiveInteger(batchSize, 'VisionTransformer.classify: batchSize');
    const batched = tf.tidy(() => this.checkImages(images).clone());
    const count = batched.shape[0];
    const classes = new Int32Array(count);
    try {
      for (let start = 0; start < count; start += batchSize) {
        const size = Math.min(batchSize, count - start);
        const predicted = tf.tidy(() => this.predict(batched.slice(start, size)).argMax(-1));
        classes.set(await predicted.data(), start);
        predicted.dispose();
      }
    } finally {
      batched.dispose();
    }
    return classes;
  }

  /**
   * Runs images through the backbone layer by layer and the head (HF `ViTForImageClassification`
   * with `output_attentions`/`output_hidden_states`): logits `(batch, numClasses)`, lastHiddenState,
   * and on request each block's attention weights, read from the blocks, and the hidden states.
   *
   * @example
   * ```ts
   * const { logits, attentions } = vit.forward(images, { outputAttentions: true }); // attentions: depth × (batch, heads, tokens, tokens)
   * ```
   */
  forward(images: tf.Tensor, options: VitForwardOptions = {}): VitImageClassifierOutput {
    return tf.tidy(() => {
      const output = this.backbone.forward(this.checkImages(images), options);
      const pool = this.model.getLayer('pool');
      const head = this.model.getLayer('head');
      const logits = head.apply(pool.apply(output.lastHiddenState)) as tf.Tensor2D; // (batch, numClasses)
      return { ...output, logits };
    });
  }

  /**
   * The model's attention for one image `(height, width, channels)` or `(1, height, width,
   * channels)`: per layer and head the class token's attention over the patches, and the attention
   * rollout of the class token (Abnar & Zuidema 2020), both in patch order ready to overlay on the
   * image (e.g. @heed/viz `patchAttentionOverlaySvg({ image, weights: maps.rollout, grid: maps.grid })`).
   */
  async attentionMaps(image: tf.Tensor): Promise<VitAttentionMaps> {
    const batched = this.checkImages(image);
    if (batched.shape[0] !== 1) {
      if (batched !== image) batched.dispose();
      throw new Error(`VisionTransformer.attentionMaps: pass one image, (${this.config.imageSize.join(', ')}, ${this.config.channels}) or (1, …); got shape [${image.shape}]`);
    }
    const classToken = this.backbone.classToken;
    const [stacked, logits] = tf.tidy(() => {
      const { logits: scores, attentions } = this.forward(batched, { outputAttentions: true });
      return [tf.stack(attentions!.map((weights) => weights.squeeze([0]))), scores]; // (layers, heads, tokens, tokens), (1, classes)
    });
    if (batched !== image) batched.dispose();
    const shape = stacked.shape as [number, number, number, number];
    const weights = (await stacked.data()) as Float32Array;
    const logitValues = (await logits.data()) as Float32Array;
    tf.dispose([stacked, logits]);
    const [layers, heads, tokens] = shape;
    const offset = classToken ? 1 : 0;
    const patchCount = tokens - offset;
    const rowOf = (matrix: Float32Array) => {
      const out = new Float32Array(patchCount);
      if (classToken) {
        out.set(matrix.subarray(offset, tokens)); // row 0 (the class token), patch columns
      } else {
        for (let row = 0; row < tokens; row++) for (let column = 0; column < tokens; column++) out[column]! += matrix[row * tokens + column]! / tokens;
      }
      return out;
    };
    const classAttention: Float32Array[][] = [];
    for (let layer = 0; layer < layers; layer++) {
      const row: Float32Array[] = [];
      for (let head = 0; head < heads; head++) row.push(rowOf(weights.subarray((layer * heads + head) * tokens * tokens, (layer * heads + head + 1) * tokens * tokens)));
      classAttention.push(row);
    }
    const rollout = rowOf(attentionRollout(weights, shape));
    const total = rollout.reduce((sum, value) => sum + value, 0);
    if (total > 0) for (let index = 0; index < rollout.length; index++) rollout[index]! /= total;
    return { grid: patchGrid(this.config), classAttention, rollout, weights, shape, logits: logitValues };
  }

  /**
   * The model as plain data ({@link HeedSavedModel}): `config.json` (`family: 'vit'`, the
   * configuration) and the weights by role name (`patch_embedding/kernel`, `head/bias`, …).
   *
   * @example
   * ```ts
   * const { config, weights } = await serializeHeedModel(await vit.toSaved()); // browser downloads
   * ```
   */
  async toSaved(): Promise<HeedSavedModel> {
    return { json: heedConfigJson(VIT_FAMILY, this.getConfig()), tensors: await readSlots(layersModelSlots(this.model)) };
  }

  /**
   * Builds the ViT a {@link toSaved} describes; weights that are missing, unexpected or of another
   * shape are refused naming the file and the tensor (nothing is half loaded).
   *
   * @example
   * ```ts
   * const vit = VitImageClassifier.fromSaved(await readHeedModel('/tmp/digits'));
   * ```
   */
  static fromSaved(saved: HeedSavedModel): VitImageClassifier {
    const where = 'VisionTransformer.load';
    if (saved.json.family !== VIT_FAMILY) throw new Error(`${where}: ${saved.files?.config ?? 'the config'} holds a ${saved.json.family} model; expected a ${VIT_FAMILY} model`);
    return loadSavedInto(new VitImageClassifier(saved.json.config as unknown as VisionTransformerConfig), (vit) => layersModelSlots(vit.model), saved, where);
  }

  /**
   * Saves the model. A folder (`file://dir` or a plain path, Node) gets the heed format:
   * `config.json` + `model.safetensors`, written atomically (a failed save leaves the previous
   * files intact). Browser storage (`indexeddb://`, `localstorage://`) holds the heed format as one
   * tf.io entry; `downloads://` and `tf.io.IOHandler`s get tf.io's model artifacts (topology +
   * weights, the configuration in the metadata).
   *
   * @example
   * ```ts
   * await vit.save('file:///tmp/digits'); // config.json + model.safetensors
   * await vit.save('indexeddb://digits');
   * ```
   */
  async save(destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
    if (isFolderDestination(destination)) return saveHeedModel(await this.toSaved(), destination, 'VisionTransformer.save: ');
    if (isBrowserStorageDestination(destination)) return saveHeedModelToStorage(await this.toSaved(), destination, 'VisionTransformer.save: ');
    this.model.setUserDefinedMetadata({ [METADATA_KEY]: this.getConfig() });
    return this.model.save(layersDestination(destination));
  }

  /**
   * Loads a ViT saved by {@link save}: a folder (Node), the http(s) URL of its folder or
   * `config.json`, and every earlier layout: a folder or URL of `model.json` + `weights.bin`,
   * `indexeddb://`, a `tf.io.IOHandler`.
   *
   * @example
   * ```ts
   * const vit = await VisionTransformer.load('https://example.org/weights/digits/config.json');
   * ```
   */
  static async load(source: string | tf.io.IOHandler): Promise<VitImageClassifier> {
    const where = 'VisionTransformer.load: ';
    const located = await locateSavedModel(source, where);
    if ('heed' in located) return VitImageClassifier.fromSaved(await readHeedModel(located.heed, { where }));
    const stored = isBrowserStorageDestination(located.legacy) ? await readHeedModelFromStorage(located.legacy, where) : undefined;
    if (stored) return VitImageClassifier.fromSaved(stored);
    const model = await tf.loadLayersModel(layersDestination(located.legacy));
    const metadata = model.getUserDefinedMetadata() as Record<string, VisionTransformerConfig> | undefined;
    const config = metadata?.[METADATA_KEY];
    if (!config) {
      model.dispose();
      throw new Error(`VisionTransformer.load: the saved model has no ${METADATA_KEY} metadata; was it saved by VisionTransformer.save?`);
    }
    try {
      return new VitImageClassifier(config, model);
    } catch (cause) {
      model.dispose();
      throw cause;
    }
  }

  /** Frees the weights. */
  dispose(): void {
    this.model.dispose();
  }
}

/**
 * {@link VitImageClassifier} under its name before the family split (#22); the same class.
 *
 * @example
 * ```ts
 * const vit = new VisionTransformer({ imageSize: 8, patchSize: 2, dim: 32, depth: 2, heads: 2, mlpDim: 64, numClasses: 10 });
 * vit instanceof VitImageClassifier; // true
 * ```
 */
export const VisionTransformer = VitImageClassifier;
/** {@link VitImageClassifier} (the type of {@link VisionTransformer}). */
export type VisionTransformer = VitImageClassifier;
