import { HF_ACTIVATIONS, type HfActivation } from './hf-activation';
import { ConfigFields, HfConfigError } from './hf-config-error';
import { pretrainedFieldsToJson, readPretrainedFields, type PretrainedConfigFields } from './pretrained-config';

/** The fields of a BERT-shaped encoder (BertConfig; RobertaConfig adds nothing but defaults). */
export interface BertLikeFields extends PretrainedConfigFields {
  /** Rows of the word embedding (default 30522). */
  readonly vocab_size: number;
  /** Model width (default 768). */
  readonly hidden_size: number;
  /** Encoder layers (default 12). */
  readonly num_hidden_layers: number;
  /** Attention heads per layer (default 12); divides `hidden_size`. */
  readonly num_attention_heads: number;
  /** Feed-forward width (default 3072). */
  readonly intermediate_size: number;
  /** Feed-forward activation (default `"gelu"`, the erf form). */
  readonly hidden_act: HfActivation;
  /** Dropout on embeddings and sublayer outputs (default 0.1). */
  readonly hidden_dropout_prob: number;
  /** Dropout on attention weights (default 0.1). */
  readonly attention_probs_dropout_prob: number;
  /** Rows of the position embedding (default 512). */
  readonly max_position_embeddings: number;
  /** Rows of the token-type (segment) embedding (default 2). */
  readonly type_vocab_size: number;
  /** Std of the truncated-normal initializer of fresh weights (default 0.02). */
  readonly initializer_range: number;
  /** LayerNorm epsilon (default 1e-12). */
  readonly layer_norm_eps: number;
  /** Padding token id (BERT 0, RoBERTa 1), or null. */
  readonly pad_token_id: number | null;
  readonly bos_token_id: number | null;
  readonly eos_token_id: number | null;
  /** Only `"absolute"` is supported. */
  readonly position_embedding_type: 'absolute';
  /** Dropout before a classification head (null: `hidden_dropout_prob`). */
  readonly classifier_dropout: number | null;
}

/** A BERT `config.json`. */
export interface HfBertConfig extends BertLikeFields {
  readonly model_type: 'bert';
}

/** The defaults of BertConfig that RobertaConfig changes. */
export interface BertLikeDefaults {
  vocab_size: number;
  pad_token_id: number | null;
  bos_token_id: number | null;
  eos_token_id: number | null;
}

/** Reads BERT-shaped fields with the given family defaults; checks heads divide the width. */
export function readBertLikeFields(fields: ConfigFields, defaults: BertLikeDefaults): BertLikeFields {
  const hidden = fields.int('hidden_size', 768);
  const heads = fields.int('num_attention_heads', 12);
  if (hidden % heads !== 0) {
    throw new HfConfigError(fields.file, 'num_attention_heads', `must divide hidden_size ${hidden}; got ${heads}`);
  }
  if (fields.json.is_decoder === true || fields.json.add_cross_attention === true) {
    throw new HfConfigError(fields.file, 'is_decoder', 'decoder (causal or cross-attention) BERT configs are not supported; expected an encoder');
  }
  const config: BertLikeFields = {
    ...readPretrainedFields(fields),
    vocab_size: fields.int('vocab_size', defaults.vocab_size),
    hidden_size: hidden,
    num_hidden_layers: fields.int('num_hidden_layers', 12),
    num_attention_heads: heads,
    intermediate_size: fields.int('intermediate_size', 3072),
    hidden_act: fields.oneOf('hidden_act', HF_ACTIVATIONS, 'gelu'),
    hidden_dropout_prob: fields.number('hidden_dropout_prob', 0.1, 0, 1),
    attention_probs_dropout_prob: fields.number('attention_probs_dropout_prob', 0.1, 0, 1),
    max_position_embeddings: fields.int('max_position_embeddings', 512),
    type_vocab_size: fields.int('type_vocab_size', 2),
    initializer_range: fields.number('initializer_range', 0.02, 0),
    layer_norm_eps: fields.number('layer_norm_eps', 1e-12, 0, Infinity, true),
    pad_token_id: fields.id('pad_token_id', defaults.pad_token_id),
    bos_token_id: fields.id('bos_token_id', defaults.bos_token_id),
    eos_token_id: fields.id('eos_token_id', defaults.eos_token_id),
    position_embedding_type: fields.oneOf('position_embedding_type', ['absolute'] as const, 'absolute'),
    classifier_dropout: fields.optionalProbability('classifier_dropout'),
  };
  if (config.pad_token_id !== null && config.pad_token_id >= config.vocab_size) {
    throw new HfConfigError(fields.file, 'pad_token_id', `must be below vocab_size ${config.vocab_size}; got ${config.pad_token_id}`);
  }
  return config;
}

/**
 * Reads a BERT `config.json` with BertConfig's defaults.
 *
 * @example
 * ```ts
 * const config = parseBertConfig({ model_type: 'bert', hidden_size: 128, num_attention_heads: 2, num_hidden_layers: 2 });
 * config.layer_norm_eps; // 1e-12
 * ```
 */
export function parseBertConfig(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfBertConfig {
  return { model_type: 'bert', ...readBertLikeFields(new ConfigFields(json, file), { vocab_size: 30522, pad_token_id: 0, bos_token_id: null, eos_token_id: null }) };
}

/** A BERT-shaped config as HF writes it (every field, so PyTorch reads the same model). */
export function bertLikeConfigToJson(config: BertLikeFields & { model_type: string }): Record<string, unknown> {
  const { architectures, id2label, label2id, problem_type, torch_dtype, ...rest } = config;
  return { ...pretrainedFieldsToJson({ architectures, id2label, label2id, problem_type, torch_dtype }), ...rest };
}
