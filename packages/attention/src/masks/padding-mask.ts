import * as tf from '@tensorflow/tfjs';

/**
 * A key-padding mask of shape `(batch, 1, keyLength)`, `true` where the key is a real token
 * (heed's polarity: true = may attend). The size-1 middle axis broadcasts over queries, so the
 * result can be passed straight as `mask` / `attentionMask` or combined with {@link combineMasks}.
 *
 * @param lengthsOrAttentionMask either the true length of each sequence (`number[]` or an int
 *   `(batch,)` tensor; keys `j < length` are real), or a Hugging Face style `attention_mask`
 *   `(batch, keyLength)` of 1 = token / 0 = padding.
 * @param keyLength padded length when lengths are given (default: the largest length).
 *
 * @example
 * ```ts
 * paddingMask([2, 3]).print(); // [[[true, true, false]], [[true, true, true]]]
 * paddingMask(tf.tensor2d([[1, 1, 0]], undefined, 'int32')); // (1, 1, 3)
 * ```
 */
export function paddingMask(lengthsOrAttentionMask: readonly number[] | tf.Tensor, keyLength?: number): tf.Tensor3D {
  if (lengthsOrAttentionMask instanceof tf.Tensor && lengthsOrAttentionMask.rank === 2) {
    const attentionMask = lengthsOrAttentionMask;
    if (attentionMask.dtype !== 'bool' && attentionMask.dtype !== 'int32') {
      throw new Error(`paddingMask: attentionMask must be bool or int32 (1 = token); got ${attentionMask.dtype} with shape [${attentionMask.shape}]`);
    }
    return tf.tidy(() => tf.notEqual(attentionMask, 0).expandDims(1) as tf.Tensor3D); // (batch, 1, S)
  }
  if (lengthsOrAttentionMask instanceof tf.Tensor) {
    if (lengthsOrAttentionMask.rank !== 1) {
      throw new Error(`paddingMask: lengths must have rank 1 (batch,), or pass an attentionMask of rank 2; got shape [${lengthsOrAttentionMask.shape}]`);
    }
    if (keyLength === undefined) throw new Error('paddingMask: keyLength is required when lengths is a tensor');
  } else {
    for (const length of lengthsOrAttentionMask) {
      if (!Number.isInteger(length) || length < 0) throw new Error(`paddingMask: every length must be a non-negative integer; got ${length}`);
    }
    if (lengthsOrAttentionMask.length === 0) throw new Error('paddingMask: lengths must not be empty');
  }
  const maxLength = keyLength ?? Math.max(...(lengthsOrAttentionMask as readonly number[]));
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error(`paddingMask: keyLength must be a positive integer; got ${maxLength}`);
  const given = lengthsOrAttentionMask;
  return tf.tidy(() => {
    const lengths = (given instanceof tf.Tensor ? given.toInt() : tf.tensor1d(given as number[], 'int32')).reshape([-1, 1]); // (batch, 1)
    const positions = tf.range(0, maxLength, 1, 'int32').reshape([1, maxLength]); // (1, S)
    return tf.less(positions, lengths).expandDims(1) as tf.Tensor3D; // (batch, 1, S)
  });
}
