import type { HfConfig } from '../config/hf-architectures';
import { HfConfigError } from '../config/hf-config-error';
import { gpt2InnerSize } from '../config/hf-gpt2-config';
import { numLabels } from '../config/pretrained-config';

/** One tensor a Hugging Face model class holds, named as in its state dict. */
export interface ExpectedTensor {
  /** The name in the task model's state dict (`bert.encoder.layer.0.attention.self.query.weight`). */
  readonly name: string;
  readonly shape: readonly number[];
  /** `base`: part of the base model (under the prefix); `head`: the task head. */
  readonly part: 'base' | 'head';
}

/** Every tensor of one HF class, plus the tied names it may also find in a checkpoint. */
export interface HfWeightLayout {
  /** The HF class, e.g. `BertForSequenceClassification`. */
  readonly architecture: string;
  /** The base-model prefix without its dot (`bert`), empty for a base-model class. */
  readonly prefix: string;
  /** The family's base prefix (`bert`), also for a base-model class. */
  readonly basePrefix: string;
  readonly tensors: readonly ExpectedTensor[];
  /** Tied copies a checkpoint may store (`cls.predictions.decoder.weight` → the word embeddings). */
  readonly tied: Readonly<Record<string, string>>;
  /** Checkpoint tensors to skip silently (transformers' `_keys_to_ignore_on_load_unexpected`: GPT-2's old `attn.bias` / `attn.masked_bias` buffers). */
  readonly ignored?: readonly RegExp[];
}

type Add = (name: string, shape: number[], part?: 'base' | 'head') => void;

function linear(add: Add, name: string, out: number, inputs: number, part: 'base' | 'head' = 'base', bias = true): void {
  add(`${name}.weight`, [out, inputs], part);
  if (bias) add(`${name}.bias`, [out], part);
}
function layerNorm(add: Add, name: string, width: number, part: 'base' | 'head' = 'base'): void {
  add(`${name}.weight`, [width], part);
  add(`${name}.bias`, [width], part);
}

/**
 * The tensors a Hugging Face model class holds for a config, named and shaped as transformers'
 * state dict (Linear weights `(out, in)`, ViT's Conv2d patch kernel `(hidden, channels, kh, kw)`),
 * with the tied copies a checkpoint may also store. `architecture` defaults to the config's first
 * `architectures` entry, else the base model.
 *
 * @example
 * ```ts
 * const layout = hfWeightLayout(parseHfConfig(json), 'BertForSequenceClassification');
 * layout.tensors.at(-1); // { name: "classifier.bias", shape: [2], part: "head" }
 * ```
 */
export function hfWeightLayout(config: HfConfig, architecture?: string): HfWeightLayout {
  const type = config.model_type;
  const base = { bert: 'BertModel', roberta: 'RobertaModel', distilbert: 'DistilBertModel', vit: 'ViTModel', gpt2: 'GPT2Model' }[type];
  const chosen = architecture ?? config.architectures[0] ?? base;
  const isBase = chosen === base;
  const basePrefix = type === 'gpt2' ? 'transformer' : type;
  const prefix = isBase ? '' : basePrefix;
  const tensors: ExpectedTensor[] = [];
  const tied: Record<string, string> = {};
  const add: Add = (name, shape, part = 'base') => tensors.push({ name: part === 'base' && prefix ? `${prefix}.${name}` : name, shape, part });
  const p = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const labels = numLabels(config);
  const unknown = () => new HfConfigError('config.json', 'architectures', `${JSON.stringify(chosen)} has no weight layout for model_type ${type}`);

  if (type === 'bert' || type === 'roberta') {
    const { hidden_size: h, intermediate_size: inner, vocab_size: vocab } = config;
    add('embeddings.word_embeddings.weight', [vocab, h]);
    add('embeddings.position_embeddings.weight', [config.max_position_embeddings, h]);
    add('embeddings.token_type_embeddings.weight', [config.type_vocab_size, h]);
    layerNorm(add, 'embeddings.LayerNorm', h);
    for (let i = 0; i < config.num_hidden_layers; i += 1) {
      const layer = `encoder.layer.${i}`;
      for (const projection of ['query', 'key', 'value']) linear(add, `${layer}.attention.self.${projection}`, h, h);
      linear(add, `${layer}.attention.output.dense`, h, h);
      layerNorm(add, `${layer}.attention.output.LayerNorm`, h);
      linear(add, `${layer}.intermediate.dense`, inner, h);
      linear(add, `${layer}.output.dense`, h, inner);
      layerNorm(add, `${layer}.output.LayerNorm`, h);
    }
    const pooled = ['BertModel', 'BertForSequenceClassification', 'BertForPreTraining', 'RobertaModel'].includes(chosen);
    if (pooled) linear(add, 'pooler.dense', h, h);
    if (chosen === 'BertForSequenceClassification' || chosen === 'BertForTokenClassification' || chosen === 'RobertaForTokenClassification') {
      linear(add, 'classifier', labels, h, 'head');
    } else if (chosen === 'BertForMaskedLM' || chosen === 'BertForPreTraining') {
      linear(add, 'cls.predictions.transform.dense', h, h, 'head');
      layerNorm(add, 'cls.predictions.transform.LayerNorm', h, 'head');
      add('cls.predictions.bias', [vocab], 'head');
      tied['cls.predictions.decoder.weight'] = p('embeddings.word_embeddings.weight');
      tied['cls.predictions.decoder.bias'] = 'cls.predictions.bias';
      if (chosen === 'BertForPreTraining') linear(add, 'cls.seq_relationship', 2, h, 'head');
    } else if (chosen === 'RobertaForSequenceClassification') {
      linear(add, 'classifier.dense', h, h, 'head');
      linear(add, 'classifier.out_proj', labels, h, 'head');
    } else if (chosen === 'RobertaForMaskedLM') {
      linear(add, 'lm_head.dense', h, h, 'head');
      layerNorm(add, 'lm_head.layer_norm', h, 'head');
      add('lm_head.bias', [vocab], 'head');
      tied['lm_head.decoder.weight'] = p('embeddings.word_embeddings.weight');
      tied['lm_head.decoder.bias'] = 'lm_head.bias';
    } else if (!isBase) throw unknown();
  } else if (type === 'distilbert') {
    const { dim, hidden_dim: inner, vocab_size: vocab } = config;
    add('embeddings.word_embeddings.weight', [vocab, dim]);
    add('embeddings.position_embeddings.weight', [config.max_position_embeddings, dim]);
    layerNorm(add, 'embeddings.LayerNorm', dim);
    for (let i = 0; i < config.n_layers; i += 1) {
      const layer = `transformer.layer.${i}`;
      for (const projection of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) linear(add, `${layer}.attention.${projection}`, dim, dim);
      layerNorm(add, `${layer}.sa_layer_norm`, dim);
      linear(add, `${layer}.ffn.lin1`, inner, dim);
      linear(add, `${layer}.ffn.lin2`, dim, inner);
      layerNorm(add, `${layer}.output_layer_norm`, dim);
    }
    if (chosen === 'DistilBertForSequenceClassification') {
      linear(add, 'pre_classifier', dim, dim, 'head');
      linear(add, 'classifier', labels, dim, 'head');
    } else if (chosen === 'DistilBertForTokenClassification') {
      linear(add, 'classifier', labels, dim, 'head');
    } else if (chosen === 'DistilBertForMaskedLM') {
      linear(add, 'vocab_transform', dim, dim, 'head');
      layerNorm(add, 'vocab_layer_norm', dim, 'head');
      add('vocab_projector.bias', [vocab], 'head');
      tied['vocab_projector.weight'] = p('embeddings.word_embeddings.weight');
    } else if (!isBase) throw unknown();
  } else if (type === 'gpt2') {
    // Conv1D weights are stored (in, out); c_attn packs query, key and value: (n_embd, 3·n_embd).
    const { n_embd: h, vocab_size: vocab } = config;
    const inner = gpt2InnerSize(config);
    add('wte.weight', [vocab, h]);
    add('wpe.weight', [config.n_positions, h]);
    for (let i = 0; i < config.n_layer; i += 1) {
      const layer = `h.${i}`;
      layerNorm(add, `${layer}.ln_1`, h);
      add(`${layer}.attn.c_attn.weight`, [h, 3 * h]);
      add(`${layer}.attn.c_attn.bias`, [3 * h]);
      add(`${layer}.attn.c_proj.weight`, [h, h]);
      add(`${layer}.attn.c_proj.bias`, [h]);
      layerNorm(add, `${layer}.ln_2`, h);
      add(`${layer}.mlp.c_fc.weight`, [h, inner]);
      add(`${layer}.mlp.c_fc.bias`, [inner]);
      add(`${layer}.mlp.c_proj.weight`, [inner, h]);
      add(`${layer}.mlp.c_proj.bias`, [h]);
    }
    layerNorm(add, 'ln_f', h);
    if (chosen === 'GPT2LMHeadModel') tied['lm_head.weight'] = p('wte.weight');
    else if (!isBase) throw unknown();
    return { architecture: chosen, prefix, basePrefix, tensors, tied, ignored: [/(?:^|\.)h\.\d+\.attn\.(?:masked_bias|bias)$/] };
  } else {
    const { hidden_size: h, intermediate_size: inner, patch_size: patch } = config;
    const patches = (config.image_size / patch) ** 2;
    add('embeddings.cls_token', [1, 1, h]);
    add('embeddings.position_embeddings', [1, patches + 1, h]);
    add('embeddings.patch_embeddings.projection.weight', [h, config.num_channels, patch, patch]);
    add('embeddings.patch_embeddings.projection.bias', [h]);
    for (let i = 0; i < config.num_hidden_layers; i += 1) {
      const layer = `encoder.layer.${i}`;
      for (const projection of ['query', 'key', 'value']) linear(add, `${layer}.attention.attention.${projection}`, h, h, 'base', config.qkv_bias);
      linear(add, `${layer}.attention.output.dense`, h, h);
      linear(add, `${layer}.intermediate.dense`, inner, h);
      linear(add, `${layer}.output.dense`, h, inner);
      layerNorm(add, `${layer}.layernorm_before`, h);
      layerNorm(add, `${layer}.layernorm_after`, h);
    }
    layerNorm(add, 'layernorm', h);
    if (isBase) linear(add, 'pooler.dense', h, h);
    else if (chosen === 'ViTForImageClassification') linear(add, 'classifier', labels, h, 'head');
    else throw unknown();
  }
  return { architecture: chosen, prefix, basePrefix, tensors, tied };
}
