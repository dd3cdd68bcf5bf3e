import type { FeedForwardActivation } from '@heed/attention';
import { blockActivation } from '../hf/config/hf-activation';
import { HfConfigError } from '../hf/config/hf-config-error';
import type { HfVitConfig } from '../hf/config/hf-vit-config';
import { numLabels } from '../hf/config/pretrained-config';
import { resolveVitConfig, type ResolvedVitConfig } from './vit-config';

const VIT_BLOCK_ACTIVATIONS: readonly string[] = ['gelu', 'gelu_new', 'relu'];

/**
 * The {@link VitBackbone} configuration of a Hugging Face ViT `config.json` (KerasHub's
 * `convert_vit` backbone config): `hidden_size` → dim, `num_hidden_layers` → depth,
 * `num_attention_heads` → heads, `intermediate_size` → mlpDim, `layer_norm_eps`, `hidden_act`,
 * `num_channels`, `image_size`, `patch_size`, pre-norm blocks, a [CLS] token. Dropout as
 * modeling_vit.py places it: `hidden_dropout_prob` after the embeddings and on each sublayer's
 * output, `attention_probs_dropout_prob` on the attention weights, none on the MLP hidden layer.
 *
 * @example
 * ```ts
 * vitBackboneConfig(parseVitConfig({ hidden_size: 24, num_attention_heads: 3, image_size: 16, patch_size: 4 })).dim; // 24
 * ```
 */
export function vitBackboneConfig(config: HfVitConfig, file = 'config.json'): ResolvedVitConfig {
  const activation = blockActivation(config.hidden_act);
  if (!VIT_BLOCK_ACTIVATIONS.includes(activation)) {
    throw new HfConfigError(file, 'hidden_act', `${JSON.stringify(config.hidden_act)} is not supported by heed's ViT blocks; supported: gelu, gelu_new (gelu_pytorch_tanh, gelu_fast), relu`);
  }
  return resolveVitConfig({
    imageSize: config.image_size,
    patchSize: config.patch_size,
    channels: config.num_channels,
    dim: config.hidden_size,
    depth: config.num_hidden_layers,
    heads: config.num_attention_heads,
    mlpDim: config.intermediate_size,
    numClasses: numLabels(config),
    dropout: config.hidden_dropout_prob,
    attentionDropout: config.attention_probs_dropout_prob,
    intermediateDropout: 0,
    pool: 'cls',
    layerNormEpsilon: config.layer_norm_eps,
    activation: activation as FeedForwardActivation,
    normalizeFirst: true,
  });
}
