import { HF_ACTIVATIONS, type HfActivation } from './hf-activation';
import { ConfigFields, HfConfigError } from './hf-config-error';
import { pretrainedFieldsToJson, readPretrainedFields, type PretrainedConfigFields } from './pretrained-config';

/** DistilBERT's LayerNorm epsilon: hard-coded in modeling_distilbert.py, not in its config. */
export const DISTILBERT_LAYER_NORM_EPS = 1e-12;

/**
 * A DistilBERT `config.json`, in DistilBertConfig's own field names (`dim`, `n_layers`, `n_heads`,
 * `hidden_dim`; the BERT names `hidden_size`, `num_hidden_layers`, `num_attention_heads`,
 * `intermediate_size` are read as aliases). No token types; LayerNorm eps
 * {@link DISTILBERT_LAYER_NORM_EPS}.
 */
export interface HfDistilBertConfig extends PretrainedConfigFields {
  readonly model_type: 'distilbert';
  readonly vocab_size: number;
  readonly max_position_embeddings: number;
  /** Fixed sinusoidal position embeddings instead of learned ones (default false). */
  readonly sinusoidal_pos_embds: boolean;
  readonly n_layers: number;
  readonly n_heads: number;
  readonly dim: number;
  readonly hidden_dim: number;
  readonly dropout: number;
  readonly attention_dropout: number;
  readonly activation: HfActivation;
  readonly initializer_range: number;
  readonly qa_dropout: number;
  /** Dropout before the sequence-classification head (default 0.2). */
  readonly seq_classif_dropout: number;
  readonly pad_token_id: number | null;
}

/**
 * Reads a DistilBERT `config.json` with DistilBertConfig's defaults.
 *
 * @example
 * ```ts
 * const config = parseDistilBertConfig({ model_type: 'distilbert', dim: 64, n_heads: 2 });
 * config.hidden_dim; // 3072
 * ```
 */
export function parseDistilBertConfig(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfDistilBertConfig {
  const fields = new ConfigFields(json, file);
  const dim = fields.int(['dim', 'hidden_size'], 768);
  const heads = fields.int(['n_heads', 'num_attention_heads'], 12);
  if (dim % heads !== 0) throw new HfConfigError(file, 'n_heads', `must divide dim ${dim}; got ${heads}`);
  const config: HfDistilBertConfig = {
    model_type: 'distilbert',
    ...readPretrainedFields(fields),
    vocab_size: fields.int('vocab_size', 30522),
    max_position_embeddings: fields.int('max_position_embeddings', 512),
    sinusoidal_pos_embds: fields.bool('sinusoidal_pos_embds', false),
    n_layers: fields.int(['n_layers', 'num_hidden_layers'], 6),
    n_heads: heads,
    dim,
    hidden_dim: fields.int(['hidden_dim', 'intermediate_size'], 3072),
    dropout: fields.number('dropout', 0.1, 0, 1),
    attention_dropout: fields.number('attention_dropout', 0.1, 0, 1),
    activation: fields.oneOf(['activation', 'hidden_act'], HF_ACTIVATIONS, 'gelu'),
    initializer_range: fields.number('initializer_range', 0.02, 0),
    qa_dropout: fields.number('qa_dropout', 0.1, 0, 1),
    seq_classif_dropout: fields.number('seq_classif_dropout', 0.2, 0, 1),
    pad_token_id: fields.id('pad_token_id', 0),
  };
  if (config.pad_token_id !== null && config.pad_token_id >= config.vocab_size) {
    throw new HfConfigError(file, 'pad_token_id', `must be below vocab_size ${config.vocab_size}; got ${config.pad_token_id}`);
  }
  return config;
}

/** A DistilBERT config as HF writes it. */
export function distilBertConfigToJson(config: HfDistilBertConfig): Record<string, unknown> {
  const { architectures, id2label, label2id, problem_type, torch_dtype, ...rest } = config;
  return { ...pretrainedFieldsToJson({ architectures, id2label, label2id, problem_type, torch_dtype }), ...rest };
}
