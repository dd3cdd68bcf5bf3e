import * as tf from '@tensorflow/tfjs';

/** Options of {@link fromTorchAttnMask}. */
export interface FromTorchAttnMaskOptions {
  /** Needed for a 3-D mask `(batch·heads, T, S)`, which is split into `(batch, heads, T, S)`. */
  numHeads?: number;
}

/**
 * Converts PyTorch's `attn_mask` — bool with **True = blocked**, or float additive with 0 = keep /
 * -inf = blocked — of shape `(T, S)` or `(batch·numHeads, T, S)` to heed's polarity (true = may
 * attend), shape `(T, S)` or `(batch, heads, T, S)`. Only 0 and -inf float entries are
 * representable as a mask; finite non-zero biases are read as blocked.
 *
 * @example
 * ```ts
 * // torch: attn_mask = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
 * const causal = fromTorchAttnMask(torchCausal); // equals causalMask(3)
 * ```
 */
export function fromTorchAttnMask(attnMask: tf.Tensor, options: FromTorchAttnMaskOptions = {}): tf.Tensor {
  if (attnMask.rank !== 2 && attnMask.rank !== 3) {
    throw new Error(`fromTorchAttnMask: attnMask must have shape (T, S) or (batch·heads, T, S); got shape [${attnMask.shape}]`);
  }
  let targetShape: number[] = attnMask.shape;
  if (attnMask.rank === 3) {
    const { numHeads } = options;
    const [batchTimesHeads, queryLength, keyLength] = attnMask.shape as [number, number, number];
    if (numHeads === undefined || !Number.isInteger(numHeads) || numHeads < 1 || batchTimesHeads % numHeads !== 0) {
      throw new Error(
        `fromTorchAttnMask: a 3-D attnMask of shape [${attnMask.shape}] needs numHeads dividing ${batchTimesHeads}; got numHeads ${numHeads}`,
      );
    }
    targetShape = [batchTimesHeads / numHeads, numHeads, queryLength, keyLength]; // (batch, heads, T, S)
  }
  return tf.tidy(() => (attnMask.dtype === 'bool' ? tf.logicalNot(attnMask) : tf.equal(attnMask, 0)).reshape(targetShape));
}
