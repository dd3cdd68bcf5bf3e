import { ConfigFields } from './hf-config-error';
import { readBertLikeFields, type BertLikeFields } from './hf-bert-config';

/**
 * A RoBERTa `config.json`: BERT's fields with RobertaConfig's defaults (vocab 50265, pad 1, bos 0,
 * eos 2). Position ids start after the padding id (`pad_token_id + 1`) and skip padding, so
 * roberta-base's `max_position_embeddings` 514 allows 512 tokens.
 */
export interface HfRobertaConfig extends BertLikeFields {
  readonly model_type: 'roberta';
}

/**
 * Reads a RoBERTa `config.json`.
 *
 * @example
 * ```ts
 * parseRobertaConfig({ model_type: 'roberta' }).pad_token_id; // 1
 * ```
 */
export function parseRobertaConfig(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfRobertaConfig {
  return { model_type: 'roberta', ...readBertLikeFields(new ConfigFields(json, file), { vocab_size: 50265, pad_token_id: 1, bos_token_id: 0, eos_token_id: 2 }) };
}

/** The longest input a RoBERTa config allows: `max_position_embeddings - pad_token_id - 1`. */
export function robertaMaxTokens(config: HfRobertaConfig): number {
  return config.max_position_embeddings - (config.pad_token_id ?? 0) - 1;
}
