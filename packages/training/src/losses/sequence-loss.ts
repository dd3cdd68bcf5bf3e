import type * as tf from '@tensorflow/tfjs';
import { sparseCategoricalCrossEntropy } from './sparse-categorical-cross-entropy';

/** Options of {@link sequenceLoss}. */
export interface SequenceLossOptions {
  /** Padding id in the targets; padded positions count neither in the sum nor in the token count. */
  padId: number;
  /** Label smoothing ε (default 0; 0.1 in "Attention Is All You Need"). */
  labelSmoothing?: number;
  /** Whether `logits` are logits (default true) or probabilities. */
  fromLogits?: boolean;
}

/**
 * Token-level cross-entropy of a batch of sequences: the sum over every real token of the batch
 * divided by the number of real tokens (not the mean of per-sequence means, which would weight a
 * short sequence's tokens more). This is the loss whose exp is per-token perplexity.
 *
 * @param targets `(batch, time)` integer ids, `padId` where padded.
 * @param logits `(batch, time, vocabulary)`.
 * @example
 * ```ts
 * const loss = sequenceLoss(targets, decoder.apply(inputs) as tf.Tensor3D, { padId: 0, labelSmoothing: 0.1 });
 * ```
 */
export function sequenceLoss(targets: tf.Tensor, logits: tf.Tensor, options: SequenceLossOptions): tf.Scalar {
  if (targets.rank !== 2 || logits.rank !== 3) {
    throw new RangeError(`sequenceLoss expects targets (batch, time) and logits (batch, time, vocabulary), got [${targets.shape}] and [${logits.shape}]`);
  }
  return sparseCategoricalCrossEntropy(targets, logits, options);
}
