import * as tf from '@tensorflow/tfjs';

/**
 * Converts PyTorch's `key_padding_mask` `(batch, keyLength)` — bool with **True = padding
 * (blocked)**, or float additive with 0 = keep / -inf = blocked — to heed's polarity
 * `(batch, 1, keyLength)` bool with true = may attend.
 *
 * @example
 * ```ts
 * // torch: key_padding_mask = tensor([[False, False, True]])
 * fromTorchKeyPaddingMask(tf.tensor2d([[false, false, true]], undefined, 'bool')); // [[[true, true, false]]]
 * ```
 */
export function fromTorchKeyPaddingMask(keyPaddingMask: tf.Tensor): tf.Tensor3D {
  if (keyPaddingMask.rank !== 2) {
    throw new Error(`fromTorchKeyPaddingMask: keyPaddingMask must have shape (batch, keyLength); got shape [${keyPaddingMask.shape}]`);
  }
  return tf.tidy(() => {
    const mayAttend = keyPaddingMask.dtype === 'bool' ? tf.logicalNot(keyPaddingMask) : tf.equal(keyPaddingMask, 0);
    return mayAttend.expandDims(1) as tf.Tensor3D; // (batch, 1, S)
  });
}
