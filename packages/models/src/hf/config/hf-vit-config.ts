import { HF_ACTIVATIONS, type HfActivation } from './hf-activation';
import { ConfigFields, HfConfigError, describeValue } from './hf-config-error';
import { pretrainedFieldsToJson, readPretrainedFields, type PretrainedConfigFields } from './pretrained-config';

/**
 * A ViT `config.json` (ViTConfig): a pre-LayerNorm encoder over `patch_size`² patches of an
 * `image_size`² image with `num_channels` channels, projected by a Conv2d (weights
 * `(hidden_size, num_channels, patch_size, patch_size)`), a [CLS] token and learned positions.
 */
export interface HfVitConfig extends PretrainedConfigFields {
  readonly model_type: 'vit';
  readonly hidden_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly intermediate_size: number;
  readonly hidden_act: HfActivation;
  /** Default 0 (ViT trains without dropout). */
  readonly hidden_dropout_prob: number;
  readonly attention_probs_dropout_prob: number;
  readonly initializer_range: number;
  readonly layer_norm_eps: number;
  /** Image side in pixels (default 224). */
  readonly image_size: number;
  /** Patch side in pixels (default 16). */
  readonly patch_size: number;
  /** Input channels (default 3). */
  readonly num_channels: number;
  /** Whether the query/key/value projections have biases (default true). */
  readonly qkv_bias: boolean;
  readonly encoder_stride: number;
}

/**
 * Reads a ViT `config.json` with ViTConfig's defaults; `image_size` must be a multiple of
 * `patch_size` (a square image, as every published ViT checkpoint).
 *
 * @example
 * ```ts
 * const config = parseVitConfig({ model_type: 'vit', image_size: 32, patch_size: 8 });
 * (config.image_size / config.patch_size) ** 2; // 16 patches
 * ```
 */
export function parseVitConfig(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfVitConfig {
  const fields = new ConfigFields(json, file);
  const hidden = fields.int('hidden_size', 768);
  const heads = fields.int('num_attention_heads', 12);
  if (hidden % heads !== 0) throw new HfConfigError(file, 'num_attention_heads', `must divide hidden_size ${hidden}; got ${heads}`);
  for (const name of ['image_size', 'patch_size']) {
    if (Array.isArray(json[name])) {
      const [height, width] = json[name] as unknown[];
      if (height !== width) throw new HfConfigError(file, name, `only square sizes are supported; got ${describeValue(json[name])}`);
    }
  }
  // An [height, width] pair (checked square above) reads as its side.
  const side = (name: string, fallback: number) => {
    const value = json[name];
    return new ConfigFields({ [name]: Array.isArray(value) ? value[0] : value }, file).int(name, fallback);
  };
  const imageSize = side('image_size', 224);
  const patchSize = side('patch_size', 16);
  if (imageSize % patchSize !== 0) throw new HfConfigError(file, 'image_size', `must be a multiple of patch_size ${patchSize}; got ${imageSize}`);
  return {
    model_type: 'vit',
    ...readPretrainedFields(fields),
    hidden_size: hidden,
    num_hidden_layers: fields.int('num_hidden_layers', 12),
    num_attention_heads: heads,
    intermediate_size: fields.int('intermediate_size', 3072),
    hidden_act: fields.oneOf('hidden_act', HF_ACTIVATIONS, 'gelu'),
    hidden_dropout_prob: fields.number('hidden_dropout_prob', 0, 0, 1),
    attention_probs_dropout_prob: fields.number('attention_probs_dropout_prob', 0, 0, 1),
    initializer_range: fields.number('initializer_range', 0.02, 0),
    layer_norm_eps: fields.number('layer_norm_eps', 1e-12, 0, Infinity, true),
    image_size: imageSize,
    patch_size: patchSize,
    num_channels: fields.int('num_channels', 3),
    qkv_bias: fields.bool('qkv_bias', true),
    encoder_stride: fields.int('encoder_stride', 16),
  };
}

/** A ViT config as HF writes it. */
export function vitConfigToJson(config: HfVitConfig): Record<string, unknown> {
  const { architectures, id2label, label2id, problem_type, torch_dtype, ...rest } = config;
  return { ...pretrainedFieldsToJson({ architectures, id2label, label2id, problem_type, torch_dtype }), ...rest };
}
