/**
 * The attention (and architecture) of a {@link Seq2Seq} model.
 *
 * @example
 * ```ts
 * const attention: Seq2SeqAttention = 'luong-general';
 * ```
 */
export type Seq2SeqAttention = 'bahdanau' | 'luong-dot' | 'luong-general' | 'local-p' | 'transformer';

/**
 * Every {@link Seq2SeqAttention}, in documentation order.
 *
 * @example
 * ```ts
 * SEQ2SEQ_ATTENTIONS.includes('local-p'); // true
 * ```
 */
export const SEQ2SEQ_ATTENTIONS: readonly Seq2SeqAttention[] = Object.freeze(['bahdanau', 'luong-dot', 'luong-general', 'local-p', 'transformer']);

/**
 * Recurrent cell of the bidirectional encoder of the RNN variants.
 *
 * @example
 * ```ts
 * new Seq2Seq({ sourceVocabSize: 32, targetVocabSize: 43, encoderCell: 'gru' });
 * ```
 */
export type Seq2SeqEncoderCell = 'lstm' | 'gru';

/**
 * Configuration of a {@link Seq2Seq} model: a plain JSON object, returned by `getConfig()` and
 * accepted by the constructor, so `new Seq2Seq(model.getConfig())` rebuilds the same architecture.
 *
 * @example
 * ```ts
 * const config: Seq2SeqConfig = { sourceVocabSize: 32, targetVocabSize: 43, attention: 'bahdanau' };
 * ```
 */
export interface Seq2SeqConfig {
  /** Source (encoder) vocabulary size, special tokens included. */
  sourceVocabSize: number;
  /** Target (decoder) vocabulary size, special tokens included. */
  targetVocabSize: number;
  /** Architecture: RNN with `bahdanau` / `luong-dot` / `luong-general` / `local-p` attention, or `transformer`. Default `bahdanau`. */
  attention?: Seq2SeqAttention;
  /** Embedding width (RNN) or model width (Transformer). Default 64. */
  embeddingDim?: number;
  /** RNN: encoder units per direction. Default 128. */
  encoderUnits?: number;
  /** RNN: decoder LSTM units; must be 2·encoderUnits for `luong-dot`. Default 2·encoderUnits. */
  decoderUnits?: number;
  /** RNN: encoder cell. Default `lstm`. */
  encoderCell?: Seq2SeqEncoderCell;
  /**
   * RNN: stacked bidirectional encoder layers; each layer after the first reads the previous
   * layer's [forward; backward] outputs (with dropout between layers, as PyTorch's `nn.LSTM`), and
   * the decoder's initial state is bridged from the last layer's final states. Default 1.
   */
  encoderLayers?: number;
  /** Hidden width of the additive (Bahdanau) score. Default decoderUnits. */
  attentionUnits?: number;
  /** local-p: window half-width D (σ = D/2). Default 3. */
  localWindow?: number;
  /** Transformer: layers in encoder and decoder. Default 2. */
  numLayers?: number;
  /** Transformer: attention heads. Default 4. */
  numHeads?: number;
  /** Transformer: feed-forward width. Default 4·embeddingDim. */
  intermediateDim?: number;
  /** Dropout while training. Default 0.1. */
  dropout?: number;
  /** Longest source the model accepts (and Transformer position table size). Default 64. */
  maxSourceLength?: number;
  /** Longest output generated (end token excluded) by default. Default 64. */
  maxTargetLength?: number;
  /** Padding id, in both vocabularies. Default 0. */
  padId?: number;
  /** Start-of-sequence id of the target vocabulary. Default 2. */
  bosId?: number;
  /** End-of-sequence id of the target vocabulary. Default 3. */
  eosId?: number;
  /** Weight initialization seed. Default 0. */
  seed?: number;
}

/**
 * A {@link Seq2SeqConfig} with every default filled in.
 *
 * @example
 * ```ts
 * const resolved: ResolvedSeq2SeqConfig = model.getConfig();
 * ```
 */
export type ResolvedSeq2SeqConfig = Required<Seq2SeqConfig>;

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`Seq2Seq: config.${name} must be a positive integer; got ${JSON.stringify(value)}`);
  }
  return value;
}

function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`Seq2Seq: config.${name} must be a non-negative integer; got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Fills in the defaults of a {@link Seq2SeqConfig} and checks every field, with errors that name
 * the field and the value.
 *
 * @example
 * ```ts
 * resolveSeq2SeqConfig({ sourceVocabSize: 32, targetVocabSize: 43 }).decoderUnits; // 256
 * ```
 */
export function resolveSeq2SeqConfig(config: Seq2SeqConfig): ResolvedSeq2SeqConfig {
  if (config === null || typeof config !== 'object') throw new TypeError(`Seq2Seq: config must be an object; got ${String(config)}`);
  const attention = config.attention ?? 'bahdanau';
  if (!SEQ2SEQ_ATTENTIONS.includes(attention)) {
    throw new RangeError(`Seq2Seq: config.attention must be one of ${SEQ2SEQ_ATTENTIONS.join(', ')}; got ${JSON.stringify(attention)}`);
  }
  const encoderCell = config.encoderCell ?? 'lstm';
  if (encoderCell !== 'lstm' && encoderCell !== 'gru') throw new RangeError(`Seq2Seq: config.encoderCell must be lstm or gru; got ${JSON.stringify(encoderCell)}`);
  const embeddingDim = positiveInteger(config.embeddingDim ?? 64, 'embeddingDim');
  const encoderUnits = positiveInteger(config.encoderUnits ?? 128, 'encoderUnits');
  const decoderUnits = positiveInteger(config.decoderUnits ?? 2 * encoderUnits, 'decoderUnits');
  if (attention === 'luong-dot' && decoderUnits !== 2 * encoderUnits) {
    throw new RangeError(`Seq2Seq: luong-dot needs decoderUnits = 2·encoderUnits (query and key widths equal); got decoderUnits ${decoderUnits}, encoderUnits ${encoderUnits}`);
  }
  const numHeads = positiveInteger(config.numHeads ?? 4, 'numHeads');
  if (attention === 'transformer' && embeddingDim % numHeads !== 0) {
    throw new RangeError(`Seq2Seq: numHeads ${numHeads} must divide embeddingDim ${embeddingDim} for the transformer`);
  }
  const dropout = config.dropout ?? 0.1;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) throw new RangeError(`Seq2Seq: config.dropout must be in [0, 1); got ${JSON.stringify(dropout)}`);
  const resolved: ResolvedSeq2SeqConfig = {
    sourceVocabSize: positiveInteger(config.sourceVocabSize, 'sourceVocabSize'),
    targetVocabSize: positiveInteger(config.targetVocabSize, 'targetVocabSize'),
    attention,
    embeddingDim,
    encoderUnits,
    decoderUnits,
    encoderCell,
    encoderLayers: positiveInteger(config.encoderLayers ?? 1, 'encoderLayers'),
    attentionUnits: positiveInteger(config.attentionUnits ?? decoderUnits, 'attentionUnits'),
    localWindow: positiveInteger(config.localWindow ?? 3, 'localWindow'),
    numLayers: positiveInteger(config.numLayers ?? 2, 'numLayers'),
    numHeads,
    intermediateDim: positiveInteger(config.intermediateDim ?? 4 * embeddingDim, 'intermediateDim'),
    dropout,
    maxSourceLength: positiveInteger(config.maxSourceLength ?? 64, 'maxSourceLength'),
    maxTargetLength: positiveInteger(config.maxTargetLength ?? 64, 'maxTargetLength'),
    padId: nonNegativeInteger(config.padId ?? 0, 'padId'),
    bosId: nonNegativeInteger(config.bosId ?? 2, 'bosId'),
    eosId: nonNegativeInteger(config.eosId ?? 3, 'eosId'),
    seed: nonNegativeInteger(config.seed ?? 0, 'seed'),
  };
  for (const name of ['padId', 'bosId', 'eosId'] as const) {
    if (resolved[name] >= resolved.targetVocabSize) {
      throw new RangeError(`Seq2Seq: config.${name} ${resolved[name]} is outside the target vocabulary of size ${resolved.targetVocabSize}`);
    }
  }
  return resolved;
}
