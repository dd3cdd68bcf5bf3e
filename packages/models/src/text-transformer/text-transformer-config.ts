/**
 * Configuration of a {@link TextTransformerBackbone} (the `transformer` fields of a
 * `TextClassifierConfig`, defaulted and validated by `resolveTextClassifierConfig`). The blocks are
 * pre-norm with GELU and layer-norm ε 1e-5, the final norm's ε is 1e-6 (as the shipped models).
 *
 * @example
 * ```ts
 * const config: TextTransformerConfig = { vocabSize: 4000, maxLength: 40, embeddingDim: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1, padId: 0 };
 * ```
 */
export interface TextTransformerConfig {
  /** Token ids are in [0, vocabSize). */
  vocabSize: number;
  /** Positions of the learned position table; inputs have at most this many tokens. */
  maxLength: number;
  /** Token embedding and model width. Default 64. */
  embeddingDim: number;
  /** Encoder blocks. Default 2. */
  depth: number;
  /** Attention heads; must divide `embeddingDim`. Default 4. */
  heads: number;
  /** Feed-forward width. Default 128. */
  mlpDim: number;
  /** Dropout inside the encoder blocks. Default 0.1. */
  dropout: number;
  /** Padding token id; padding keys are masked out of attention. Default 0. */
  padId: number;
}
