import * as tf from '@tensorflow/tfjs';
import type { HfVitConfig } from '../hf/config/hf-vit-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';
import { VitBackbone, type VitBackboneOutput } from './vit-backbone';
import { vitBackboneConfig } from './vit-hf-config';
import { registerVitWeights } from './vit-hf-weights';

/**
 * What the Hugging Face ViT classes share: a {@link VitBackbone} whose weights carry HF's names,
 * and the checks and layout change of `pixel_values` `(batch, channels, height, width)`. @internal
 */
export abstract class VitPretrainedModel extends HfPretrainedModel<HfVitConfig> {
  readonly backbone: VitBackbone;

  constructor(config: HfVitConfig, architecture: string, prefix: string, options: HfModelOptions = {}) {
    super(config, architecture, options);
    this.backbone = new VitBackbone(vitBackboneConfig(config));
    registerVitWeights(this.backbone, this.parameters, config, prefix);
  }

  /** `pixel_values` checked and laid out channels-last for the backbone, then run; `head` maps its output to extra outputs. */
  protected run(inputs: HfModelInputs, options: HfForwardOptions, head: (output: VitBackboneOutput) => Partial<HfModelOutput>): HfModelOutput {
    const pixels = (inputs as { pixel_values?: unknown } | null)?.pixel_values;
    const { num_channels: channels, image_size: size } = this.config;
    if (!(pixels instanceof tf.Tensor) || pixels.rank !== 4 || pixels.shape[1] !== channels || pixels.shape[2] !== size || pixels.shape[3] !== size) {
      const got = pixels instanceof tf.Tensor ? `shape [${pixels.shape.join(', ')}]` : inputs !== null && typeof inputs === 'object' ? `{${Object.keys(inputs).join(', ')}}` : typeof inputs;
      throw new Error(`${this.architecture}.forward: pixel_values must be a (batch, ${channels}, ${size}, ${size}) tensor (channels first, as HF's image processors give it; resize with loadHfImageProcessor); got ${got}`);
    }
    return tf.tidy(() => {
      const images = tf.transpose(pixels.toFloat(), [0, 2, 3, 1]) as tf.Tensor4D; // (batch, height, width, channels)
      const output = this.backbone.forward(images, { training: options.training, outputAttentions: options.outputAttentions, outputHiddenStates: options.outputHiddenStates });
      return {
        last_hidden_state: output.lastHiddenState,
        ...head(output),
        ...(output.hiddenStates ? { hidden_states: output.hiddenStates } : {}),
        ...(output.attentions ? { attentions: output.attentions } : {}),
      } as unknown as tf.TensorContainer;
    }) as unknown as HfModelOutput;
  }
}

/** `x · kernel + bias` for `x (batch, in)`, kernel `(in, out)`. */
export function denseRows(x: tf.Tensor2D, kernel: tf.Variable, bias: tf.Variable): tf.Tensor2D {
  return tf.add(tf.matMul(x, kernel as tf.Tensor2D), bias) as tf.Tensor2D;
}

/** The [CLS] token `(batch, hidden)` of `(batch, tokens, hidden)`. */
export function classTokenOf(x: tf.Tensor3D): tf.Tensor2D {
  const [batch, , hidden] = x.shape;
  return tf.slice(x, [0, 0, 0], [batch, 1, hidden]).reshape([batch, hidden]);
}

/**
 * transformers' `ViTModel` (Dosovitskiy et al. 2021): the ViT encoder with its pooler
 * `tanh(W · h[CLS] + b)`, no head. Weights are named without a prefix
 * (`embeddings.cls_token`, …, `pooler.dense.weight`), as `ViTModel.save_pretrained` writes them;
 * `fromPretrained` also reads them from a `ViTForImageClassification` checkpoint's `vit.` tensors
 * (the pooler then fresh, with a warning).
 *
 * @example
 * ```ts
 * const model = await fromPretrained<ViTModel>(folderSource('vit-base-patch16-224-in21k'));
 * const { last_hidden_state, pooler_output, attentions } = model.forward({ pixel_values }, { outputAttentions: true });
 * // (batch, 197, 768), (batch, 768), 12 × (batch, 12, 197, 197)
 * ```
 */
export class ViTModel extends VitPretrainedModel {
  private readonly pooler: { kernel: tf.Variable; bias: tf.Variable };

  constructor(config: HfVitConfig, options: HfModelOptions = {}) {
    super(config, 'ViTModel', '', options);
    const h = config.hidden_size;
    this.pooler = this.parameters.linear('pooler.dense', h, h, config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.run(inputs, options, ({ lastHiddenState }) => ({ pooler_output: tf.tanh(denseRows(classTokenOf(lastHiddenState), this.pooler.kernel, this.pooler.bias)) }));
  }
}
