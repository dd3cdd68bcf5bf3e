import { blockActivation, type BlockActivation, type HfActivation } from '../hf/config/hf-activation';
import type { HfBertConfig } from '../hf/config/hf-bert-config';
import { DISTILBERT_LAYER_NORM_EPS, type HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import { robertaMaxTokens, type HfRobertaConfig } from '../hf/config/hf-roberta-config';

/** The configs of the BERT-shaped families (one backbone serves all three). */
export type BertFamilyConfig = HfBertConfig | HfRobertaConfig | HfDistilBertConfig;

/**
 * What {@link BertBackbone} needs, in one shape for BERT, RoBERTa and DistilBERT (KerasHub's
 * `backbone_config` of `convert_bert.py`): sizes, activation, LayerNorm ε, dropout, how position
 * ids are made and how the weights are named.
 */
export interface BertBackboneConfig {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  /** HF `hidden_act` (DistilBERT `activation`). */
  readonly hiddenAct: HfActivation;
  /** The function behind it, as the encoder block takes it. */
  readonly blockActivation: BlockActivation;
  readonly layerNormEps: number;
  /** Rows of the position table. */
  readonly maxPositionEmbeddings: number;
  /** The longest input: `max_position_embeddings` (RoBERTa: minus `pad_token_id + 1`). */
  readonly maxTokens: number;
  /** Rows of the token-type table; 0 = none (DistilBERT). */
  readonly typeVocabSize: number;
  readonly padTokenId: number | null;
  /**
   * `absolute`: positions 0, 1, …; `after-padding`: RoBERTa's `cumsum(ids ≠ pad)·(ids ≠ pad) + pad`;
   * `sinusoidal`: DistilBERT's fixed table (`sinusoidal_pos_embds`).
   */
  readonly positions: 'absolute' | 'after-padding' | 'sinusoidal';
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly initializerRange: number;
  /** Weight names: BERT/RoBERTa (`encoder.layer.i.attention.self.query`) or DistilBERT (`transformer.layer.i.attention.q_lin`). */
  readonly naming: 'bert' | 'distilbert';
}

/**
 * The backbone config of a BERT, RoBERTa or DistilBERT `config.json`.
 *
 * @example
 * ```ts
 * const backbone = bertBackboneConfig(parseHfConfig(json) as HfBertConfig);
 * backbone.maxTokens; // 512 for bert-base-uncased, 512 for roberta-base (514 positions)
 * ```
 */
export function bertBackboneConfig(config: BertFamilyConfig): BertBackboneConfig {
  if (config.model_type === 'distilbert') {
    return {
      vocabSize: config.vocab_size, hiddenSize: config.dim, numLayers: config.n_layers, numHeads: config.n_heads, intermediateSize: config.hidden_dim,
      hiddenAct: config.activation, blockActivation: blockActivation(config.activation), layerNormEps: DISTILBERT_LAYER_NORM_EPS,
      maxPositionEmbeddings: config.max_position_embeddings, maxTokens: config.max_position_embeddings, typeVocabSize: 0,
      padTokenId: config.pad_token_id, positions: config.sinusoidal_pos_embds ? 'sinusoidal' : 'absolute',
      hiddenDropout: config.dropout, attentionDropout: config.attention_dropout, initializerRange: config.initializer_range, naming: 'distilbert',
    };
  }
  return {
    vocabSize: config.vocab_size, hiddenSize: config.hidden_size, numLayers: config.num_hidden_layers, numHeads: config.num_attention_heads,
    intermediateSize: config.intermediate_size, hiddenAct: config.hidden_act, blockActivation: blockActivation(config.hidden_act),
    layerNormEps: config.layer_norm_eps, maxPositionEmbeddings: config.max_position_embeddings,
    maxTokens: config.model_type === 'roberta' ? robertaMaxTokens(config) : config.max_position_embeddings,
    typeVocabSize: config.type_vocab_size, padTokenId: config.pad_token_id, positions: config.model_type === 'roberta' ? 'after-padding' : 'absolute',
    hiddenDropout: config.hidden_dropout_prob, attentionDropout: config.attention_probs_dropout_prob, initializerRange: config.initializer_range, naming: 'bert',
  };
}
