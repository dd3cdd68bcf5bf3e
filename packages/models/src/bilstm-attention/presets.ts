import type { TextClassifierConfig } from '../text-classifier/text-classifier-config';
import type { ModelPreset } from '../pretrained/model-preset';

/**
 * The shipped BiLSTM + attention text classifier (its tokenizer travels with the weights).
 *
 * @example
 * ```ts
 * BILSTM_ATTENTION_PRESETS.sentiment.config.hiddenDim; // 32
 * ```
 */
export const BILSTM_ATTENTION_PRESETS = Object.freeze({
  sentiment: {
    family: 'text',
    task: 'UCI sentiment sentences, negative/positive',
    config: { kind: 'bilstm-attention', vocabSize: 4000, maxLength: 40, numClasses: 2, labels: ['negative', 'positive'], embeddingDim: 64, hiddenDim: 32, attentionUnits: 64, depth: 2, heads: 4, mlpDim: 128, dropout: 0.1, padId: 0 },
  },
} satisfies Record<string, ModelPreset<TextClassifierConfig>>);
