import type * as tf from '@tensorflow/tfjs';

/**
 * What an encoder leaves for the decoder: every tensor has the batch on axis 0, so beam search
 * can tile and reorder rows with one `tf.gather` each.
 */
export interface EncodedSource {
  /** Encoder outputs `(batch, S, memoryDim)`, zero at padding. */
  memory: tf.Tensor3D;
  /** bool `(batch, 1, S)`, true = real source token (may be attended). */
  mask: tf.Tensor3D;
  /** Initial decoder state tensors (RNN: `[h, c]` from the bridge; Transformer: none). */
  initialState: tf.Tensor[];
}

/** One decoding step's result. */
export interface DecodeStepResult {
  /** Next-token logits `(batch, V)`. */
  logits: tf.Tensor2D;
  /** Attention over the source `(batch, A, S)`; A = 1 (RNN) or layers·heads (Transformer, index layer·heads + head). */
  attention: tf.Tensor3D;
  /** The new decoder state (same layout as {@link EncodedSource.initialState} plus what the network keeps). */
  state: tf.Tensor[];
}

/**
 * An encoder-decoder network inside {@link Seq2Seq}: RNN with attention or Transformer.
 * @internal
 */
export interface Seq2SeqNetwork {
  /** `source (batch, S)` int32 ids, padding = padId. */
  encode(source: tf.Tensor2D, training: boolean): EncodedSource;
  /**
   * Teacher forcing: `decoderInput (batch, T)` → logits `(batch, T, V)` and, when
   * `returnAttention`, attention `(batch, A, T, S)` (not asking lets attention run fused).
   */
  decode(encoded: EncodedSource, decoderInput: tf.Tensor2D, training: boolean, returnAttention: boolean): { logits: tf.Tensor3D; attention?: tf.Tensor4D };
  /** The state before the first step. */
  startState(encoded: EncodedSource): tf.Tensor[];
  /**
   * Tensors computed once per (tiled) source for cached generation, handed back to every
   * {@link step} (Transformer: each decoder layer's cross-attention keys and values; RNN: none).
   */
  precompute(encoded: EncodedSource): tf.Tensor[];
  /**
   * One step on `tokens (batch,)` int32 given the state. With `precomputed` (from
   * {@link precompute}) the Transformer decodes incrementally with its key/value cache; without,
   * it re-runs the decoder over the whole prefix (the reference path).
   */
  step(encoded: EncodedSource, state: tf.Tensor[], tokens: tf.Tensor1D, precomputed?: tf.Tensor[]): DecodeStepResult;
  /** Old weight names of files saved by earlier versions → today's names (applied on load). */
  legacyWeightNames(): Map<string, string>;
  /** Heads per position of the attention output (A). */
  readonly attentionHeads: number;
  /** Frees tensors the network holds besides its registered weights. */
  dispose(): void;
}
