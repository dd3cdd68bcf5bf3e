import * as tf from '@tensorflow/tfjs';
import type { HfVitConfig } from '../hf/config/hf-vit-config';
import type { HfParameters, HfWeightTransform } from '../hf/hf-parameters';
import type { VitBackbone } from './vit-backbone';

/**
 * Registers every weight of a {@link VitBackbone} in `parameters` under its Hugging Face ViT name
 * (KerasHub's `convert_vit` port, one line per tensor) and re-initialises it as HF's
 * `ViTPreTrainedModel._init_weights` does (normal(0, initializer_range) for kernels and the
 * [CLS]/position embeddings, zero biases, LayerNorm ones/zeros):
 *
 * | HF tensor | heed variable | transform |
 * |---|---|---|
 * | `embeddings.cls_token` (1, 1, h) | class token (1, 1, h) | copy |
 * | `embeddings.position_embeddings` (1, tokens, h) | positions (tokens, h) | copy |
 * | `embeddings.patch_embeddings.projection.weight` (h, c, p, p) | patch kernel (p·p·c, h) | Conv2d → patch kernel |
 * | `encoder.layer.i.attention.attention.{query,key,value}.weight` (h, h) | (h, heads, h/heads) | Linear → kernel |
 * | `encoder.layer.i.attention.output.dense.weight` (h, h) | (heads, h/heads, h) | Linear → kernel |
 * | `encoder.layer.i.layernorm_before` / `layernorm_after` | the block's first / second LayerNorm | copy |
 * | `encoder.layer.i.intermediate.dense` / `output.dense` | the block's MLP | Linear → kernel |
 * | `layernorm` | the final LayerNorm | copy |
 *
 * With `qkv_bias: false` the query/key/value projections behave as `torch.nn.Linear(bias=False)`:
 * the block's biases are fixed zeros, not trainable (no optimizer moves them, not even one that
 * takes every trainable variable), not registered, so neither loaded, counted nor saved.
 * @internal
 */
export function registerVitWeights(backbone: VitBackbone, parameters: HfParameters, config: HfVitConfig, prefix: string): void {
  const { hidden_size: h, intermediate_size: inner, patch_size: patch, num_channels: channels, initializer_range: std } = config;
  const name = (suffix: string) => (prefix ? `${prefix}.${suffix}` : suffix);
  const register = (layer: tf.layers.Layer, key: string, hfName: string, hfShape: number[], transform: HfWeightTransform, init: 'normal' | 'zeros' | 'ones' | 'keep') => {
    const weight = layer.weights.find((candidate) => candidate.originalName.split('/').slice(-key.split('/').length).join('/') === key);
    if (!weight) throw new Error(`registerVitWeights: ${layer.name} has no weight ${key}; it has ${layer.weights.map((candidate) => candidate.originalName).join(', ')}`);
    const variable = weight.read() as tf.Variable;
    parameters.add(name(hfName), variable, hfShape, transform);
    if (init !== 'keep') parameters.initialValues(variable, init, std);
  };
  const tokens = backbone.tokens;
  if (!backbone.classToken) throw new Error('registerVitWeights: a Hugging Face ViT has a [CLS] token (pool "cls")');
  register(backbone.classToken, 'token', 'embeddings.cls_token', [1, 1, h], 'copy', 'normal');
  register(backbone.positionEmbedding, 'embeddings', 'embeddings.position_embeddings', [1, tokens, h], 'copy', 'normal');
  register(backbone.patchEmbedding, 'kernel', 'embeddings.patch_embeddings.projection.weight', [h, channels, patch, patch], 'conv2d-patch', 'normal');
  register(backbone.patchEmbedding, 'bias', 'embeddings.patch_embeddings.projection.bias', [h], 'copy', 'zeros');
  backbone.blocks.forEach((block, index) => {
    const layer = `encoder.layer.${index}`;
    for (const projection of ['query', 'key', 'value']) {
      register(block, `${projection}/kernel`, `${layer}.attention.attention.${projection}.weight`, [h, h], 'linear', 'normal');
      if (config.qkv_bias) register(block, `${projection}/bias`, `${layer}.attention.attention.${projection}.bias`, [h], 'copy', 'zeros');
      else {
        // torch.nn.Linear(bias=False): the block's bias stays a fixed zero, outside every weight list and every optimizer.
        const bias = block.weights.find((candidate) => candidate.originalName.endsWith(`${projection}/bias`))!;
        bias.trainable = false;
        tf.tidy(() => (bias.read() as tf.Variable).assign(tf.zerosLike(bias.read())));
      }
    }
    register(block, 'attention_output/kernel', `${layer}.attention.output.dense.weight`, [h, h], 'linear', 'normal');
    register(block, 'attention_output/bias', `${layer}.attention.output.dense.bias`, [h], 'copy', 'zeros');
    register(block, 'feedforward_intermediate_dense/kernel', `${layer}.intermediate.dense.weight`, [inner, h], 'linear', 'normal');
    register(block, 'feedforward_intermediate_dense/bias', `${layer}.intermediate.dense.bias`, [inner], 'copy', 'zeros');
    register(block, 'feedforward_output_dense/kernel', `${layer}.output.dense.weight`, [h, inner], 'linear', 'normal');
    register(block, 'feedforward_output_dense/bias', `${layer}.output.dense.bias`, [h], 'copy', 'zeros');
    register(block, 'self_attention_layer_norm/gamma', `${layer}.layernorm_before.weight`, [h], 'copy', 'ones');
    register(block, 'self_attention_layer_norm/beta', `${layer}.layernorm_before.bias`, [h], 'copy', 'zeros');
    register(block, 'feedforward_layer_norm/gamma', `${layer}.layernorm_after.weight`, [h], 'copy', 'ones');
    register(block, 'feedforward_layer_norm/beta', `${layer}.layernorm_after.bias`, [h], 'copy', 'zeros');
  });
  register(backbone.finalNorm, 'gamma', 'layernorm.weight', [h], 'copy', 'ones');
  register(backbone.finalNorm, 'beta', 'layernorm.bias', [h], 'copy', 'zeros');
}
