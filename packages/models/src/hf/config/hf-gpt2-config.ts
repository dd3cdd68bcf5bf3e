import { HF_ACTIVATIONS, type HfActivation } from './hf-activation';
import { ConfigFields, HfConfigError, describeValue } from './hf-config-error';
import { pretrainedFieldsToJson, readPretrainedFields, type PretrainedConfigFields } from './pretrained-config';

/**
 * A GPT-2 `config.json` (GPT2Config, Radford et al. 2019): a pre-LayerNorm causal decoder of
 * `n_layer` blocks over learned positions, Conv1D weights stored `(in, out)`, `c_attn` packing
 * query/key/value, `lm_head` tied to `wte`.
 */
export interface HfGpt2Config extends PretrainedConfigFields {
  readonly model_type: 'gpt2';
  readonly vocab_size: number;
  /** Rows of the position table: the longest sequence (prompt + generated tokens). */
  readonly n_positions: number;
  readonly n_embd: number;
  readonly n_layer: number;
  readonly n_head: number;
  /** The MLP width; `null` means 4·n_embd (see {@link gpt2InnerSize}). */
  readonly n_inner: number | null;
  readonly activation_function: HfActivation;
  readonly resid_pdrop: number;
  readonly embd_pdrop: number;
  readonly attn_pdrop: number;
  readonly layer_norm_epsilon: number;
  readonly initializer_range: number;
  readonly scale_attn_weights: boolean;
  readonly bos_token_id: number | null;
  readonly eos_token_id: number | null;
  readonly pad_token_id: number | null;
  readonly tie_word_embeddings: boolean;
}

/**
 * Reads a GPT-2 `config.json` with GPT2Config's defaults (gpt2 small: 50257 tokens, 1024
 * positions, 768 wide, 12 layers, 12 heads, `gelu_new`, ε 1e-5). Variants heed does not run
 * (`add_cross_attention`, `scale_attn_by_inverse_layer_idx`, `reorder_and_upcast_attn`, untied
 * embeddings) are errors naming the field.
 *
 * @example
 * ```ts
 * const config = parseGpt2Config({ model_type: 'gpt2', n_embd: 64, n_head: 4, n_layer: 2 });
 * gpt2InnerSize(config); // 256: n_inner null = 4·n_embd
 * ```
 */
export function parseGpt2Config(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfGpt2Config {
  const fields = new ConfigFields(json, file);
  const width = fields.int(['n_embd', 'hidden_size'], 768);
  const heads = fields.int(['n_head', 'num_attention_heads'], 12);
  if (width % heads !== 0) throw new HfConfigError(file, 'n_head', `must divide n_embd ${width}; got ${heads}`);
  const inner = json.n_inner;
  if (inner !== undefined && inner !== null && (!Number.isSafeInteger(inner) || (inner as number) < 1)) {
    throw new HfConfigError(file, 'n_inner', `expected an integer ≥ 1 or null (4·n_embd); got ${describeValue(inner)}`);
  }
  for (const [name, supported] of [['add_cross_attention', false], ['scale_attn_by_inverse_layer_idx', false], ['reorder_and_upcast_attn', false], ['tie_word_embeddings', true]] as const) {
    if (fields.bool(name, supported) !== supported) throw new HfConfigError(file, name, `${String(!supported)} is not supported by heed's GPT-2 (expected ${String(supported)})`);
  }
  const vocab = fields.int('vocab_size', 50257);
  const config: HfGpt2Config = {
    model_type: 'gpt2',
    ...readPretrainedFields(fields),
    vocab_size: vocab,
    n_positions: fields.int(['n_positions', 'max_position_embeddings', 'n_ctx'], 1024),
    n_embd: width,
    n_layer: fields.int(['n_layer', 'num_hidden_layers'], 12),
    n_head: heads,
    n_inner: (inner ?? null) as number | null,
    activation_function: fields.oneOf('activation_function', HF_ACTIVATIONS, 'gelu_new'),
    resid_pdrop: fields.number('resid_pdrop', 0.1, 0, 1),
    embd_pdrop: fields.number('embd_pdrop', 0.1, 0, 1),
    attn_pdrop: fields.number('attn_pdrop', 0.1, 0, 1),
    layer_norm_epsilon: fields.number('layer_norm_epsilon', 1e-5, 0, Infinity, true),
    initializer_range: fields.number('initializer_range', 0.02, 0),
    scale_attn_weights: fields.bool('scale_attn_weights', true),
    bos_token_id: fields.id('bos_token_id', 50256),
    eos_token_id: fields.id('eos_token_id', 50256),
    pad_token_id: fields.id('pad_token_id', null),
    tie_word_embeddings: true,
  };
  for (const name of ['bos_token_id', 'eos_token_id', 'pad_token_id'] as const) {
    const id = config[name];
    if (id !== null && id >= vocab) throw new HfConfigError(file, name, `must be below vocab_size ${vocab}; got ${id}`);
  }
  return config;
}

/** The MLP width of a GPT-2 config: `n_inner`, or 4·n_embd when it is null. */
export function gpt2InnerSize(config: Pick<HfGpt2Config, 'n_inner' | 'n_embd'>): number {
  return config.n_inner ?? 4 * config.n_embd;
}

/** A GPT-2 config as HF writes it (`n_inner` kept null when it was). */
export function gpt2ConfigToJson(config: HfGpt2Config): Record<string, unknown> {
  const { architectures, id2label, label2id, problem_type, torch_dtype, ...rest } = config;
  return { ...pretrainedFieldsToJson({ architectures, id2label, label2id, problem_type, torch_dtype }), ...rest };
}
