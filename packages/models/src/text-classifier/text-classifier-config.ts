/**
 * The two text classifiers: an LSTM with attention pooling, or a small BERT-style encoder.
 *
 * @example
 * ```ts
 * const kind: TextClassifierKind = 'bilstm-attention';
 * ```
 */
export type TextClassifierKind = 'bilstm-attention' | 'transformer';

/**
 * Configuration of a {@link TextClassifier}.
 *
 * @example
 * ```ts
 * const config: TextClassifierConfig = { kind: 'transformer', vocabSize: 4000, maxLength: 40, numClasses: 2, labels: ['negative', 'positive'] };
 * ```
 */
export interface TextClassifierConfig {
  /** `bilstm-attention`: embedding → BiLSTM → additive attention pooling; `transformer`: embedding + positions → encoder blocks → `[CLS]`. */
  kind: TextClassifierKind;
  /** Token ids are in [0, vocabSize). */
  vocabSize: number;
  /** Longest input in tokens, `[CLS]`/`[SEP]` included; longer texts are truncated (the end is cut). */
  maxLength: number;
  /** Output classes. */
  numClasses: number;
  /** Class names, index = class id. Default `['0', '1', …]`. */
  labels?: string[];
  /** Token embedding width. Default 64. */
  embeddingDim?: number;
  /** LSTM units per direction (`bilstm-attention`). Default 64. */
  hiddenDim?: number;
  /** Width of the additive attention scorer (`bilstm-attention`). Default 64. */
  attentionUnits?: number;
  /** Encoder blocks (`transformer`). Default 2. */
  depth?: number;
  /** Attention heads (`transformer`); must divide `embeddingDim`. Default 4. */
  heads?: number;
  /** Feed-forward width (`transformer`). Default 128. */
  mlpDim?: number;
  /** Dropout before the classification head (and inside encoder blocks). Default 0.1. */
  dropout?: number;
  /** Padding token id. Default 0 (`[PAD]`). */
  padId?: number;
  /**
   * How texts longer than `maxLength` tokens are cut: `end` keeps the first tokens (default);
   * `middle` keeps the first `headTokens` and the last ones, dropping the middle (emails: the
   * subject and opening, and the signature/footer, where spam's unsubscribe text sits).
   * `[CLS]`/`[SEP]` are always kept.
   */
  truncation?: 'end' | 'middle';
  /** Text tokens kept from the start with `truncation: 'middle'`. Default ⌊(maxLength − 2) / 3⌋. */
  headTokens?: number;
}

/**
 * A validated, defaulted {@link TextClassifierConfig}.
 *
 * @example
 * ```ts
 * const resolved: ResolvedTextClassifierConfig = resolveTextClassifierConfig({ kind: 'transformer', vocabSize: 4000, maxLength: 40, numClasses: 2 });
 * ```
 */
export type ResolvedTextClassifierConfig = Required<TextClassifierConfig>;

const WHERE = 'TextClassifier';

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${WHERE}: ${name} must be a positive integer; got ${String(value)}`);
  return value;
}

/**
 * Validates and defaults a text classifier configuration, naming the offending values.
 *
 * @example
 * ```ts
 * resolveTextClassifierConfig({ kind: 'transformer', vocabSize: 4000, maxLength: 64, numClasses: 2 }).heads; // 4
 * ```
 */
export function resolveTextClassifierConfig(config: TextClassifierConfig): ResolvedTextClassifierConfig {
  if (config.kind !== 'bilstm-attention' && config.kind !== 'transformer') {
    throw new Error(`${WHERE}: kind must be 'bilstm-attention' or 'transformer'; got ${JSON.stringify(config.kind)}`);
  }
  const numClasses = positiveInteger(config.numClasses, 'numClasses');
  if (numClasses < 2) throw new Error(`${WHERE}: numClasses must be at least 2; got ${numClasses}`);
  const embeddingDim = positiveInteger(config.embeddingDim ?? 64, 'embeddingDim');
  const heads = positiveInteger(config.heads ?? 4, 'heads');
  if (config.kind === 'transformer' && embeddingDim % heads !== 0) throw new Error(`${WHERE}: embeddingDim ${embeddingDim} is not divisible by heads ${heads}`);
  const maxLength = positiveInteger(config.maxLength, 'maxLength');
  if (maxLength < 3) throw new Error(`${WHERE}: maxLength must be at least 3 ([CLS], a token, [SEP]); got ${maxLength}`);
  const labels = config.labels ?? Array.from({ length: numClasses }, (_, index) => String(index));
  if (labels.length !== numClasses) throw new Error(`${WHERE}: ${labels.length} labels given for numClasses ${numClasses}`);
  const truncation = config.truncation ?? 'end';
  if (truncation !== 'end' && truncation !== 'middle') throw new Error(`${WHERE}: truncation must be 'end' or 'middle'; got ${JSON.stringify(truncation)}`);
  const headTokens = config.headTokens ?? Math.floor((maxLength - 2) / 3);
  if (!Number.isInteger(headTokens) || headTokens < 0 || headTokens > maxLength - 2) throw new Error(`${WHERE}: headTokens must be an integer in [0, maxLength − 2 = ${maxLength - 2}]; got ${String(headTokens)}`);
  const dropout = config.dropout ?? 0.1;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new Error(`${WHERE}: dropout must be in [0, 1); got ${String(dropout)}`);
  return {
    kind: config.kind,
    vocabSize: positiveInteger(config.vocabSize, 'vocabSize'),
    maxLength,
    numClasses,
    labels: [...labels],
    embeddingDim,
    hiddenDim: positiveInteger(config.hiddenDim ?? 64, 'hiddenDim'),
    attentionUnits: positiveInteger(config.attentionUnits ?? 64, 'attentionUnits'),
    depth: positiveInteger(config.depth ?? 2, 'depth'),
    heads,
    mlpDim: positiveInteger(config.mlpDim ?? 128, 'mlpDim'),
    dropout,
    padId: config.padId ?? 0,
    truncation,
    headTokens,
  };
}
