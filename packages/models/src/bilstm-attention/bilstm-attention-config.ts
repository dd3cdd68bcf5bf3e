/**
 * Configuration of a {@link BilstmAttentionBackbone} (the `bilstm-attention` fields of a
 * `TextClassifierConfig`, defaulted and validated by `resolveTextClassifierConfig`).
 *
 * @example
 * ```ts
 * const config: BilstmAttentionConfig = { vocabSize: 4000, embeddingDim: 64, hiddenDim: 32, attentionUnits: 64, padId: 0 };
 * ```
 */
export interface BilstmAttentionConfig {
  /** Token ids are in [0, vocabSize). */
  vocabSize: number;
  /** Token embedding width. Default 64. */
  embeddingDim: number;
  /** LSTM units per direction. Default 64. */
  hiddenDim: number;
  /** Width of the additive attention scorer. Default 64. */
  attentionUnits: number;
  /** Padding token id; padding gets exactly zero pooling weight. Default 0. */
  padId: number;
}
