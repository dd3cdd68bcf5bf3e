import type { TextClassifierConfig } from '../text-classifier/text-classifier-config';
import type { ModelPreset } from '../pretrained/model-preset';

/**
 * The shipped Transformer text classifiers (their tokenizers travel with the weights).
 *
 * @example
 * ```ts
 * TEXT_TRANSFORMER_PRESETS.spam.config.maxLength; // 192
 * ```
 */
export const TEXT_TRANSFORMER_PRESETS = Object.freeze({
  'sentiment-transformer': {
    family: 'text',
    task: 'UCI sentiment sentences, negative/positive (Transformer encoder, per-head attention)',
    config: { kind: 'transformer', vocabSize: 4000, maxLength: 40, numClasses: 2, labels: ['negative', 'positive'], embeddingDim: 64, hiddenDim: 32, attentionUnits: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1, padId: 0 },
  },
  spam: {
    family: 'text',
    task: 'SpamAssassin emails, ham/spam',
    config: { kind: 'transformer', vocabSize: 8000, maxLength: 192, numClasses: 2, labels: ['ham', 'spam'], embeddingDim: 64, hiddenDim: 32, attentionUnits: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1, padId: 0, truncation: 'middle', headTokens: 64 },
  },
} satisfies Record<string, ModelPreset<TextClassifierConfig>>);
