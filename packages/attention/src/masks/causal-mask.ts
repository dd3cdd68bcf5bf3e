import * as tf from '@tensorflow/tfjs';

/**
 * A causal (look-ahead) mask of shape `(queryLength, keyLength)`: `true` where query `i` may
 * attend to key `j`, i.e. `j <= i` (top-left aligned, as Keras' `use_causal_mask` and PyTorch's
 * `is_causal`). heed's masks use one polarity everywhere: true / 1 = may attend.
 *
 * @example
 * ```ts
 * causalMask(3).print();
 * // [[true, false, false],
 * //  [true, true,  false],
 * //  [true, true,  true ]]
 * ```
 */
export function causalMask(queryLength: number, keyLength: number = queryLength): tf.Tensor2D {
  for (const [name, value] of [
    ['queryLength', queryLength],
    ['keyLength', keyLength],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`causalMask: ${name} must be a positive integer; got ${value}`);
    }
  }
  return tf.tidy(() => {
    const rows = tf.range(0, queryLength, 1, 'int32').reshape([queryLength, 1]); // (T, 1)
    const columns = tf.range(0, keyLength, 1, 'int32').reshape([1, keyLength]); // (1, S)
    return tf.lessEqual(columns, rows) as tf.Tensor2D; // (T, S)
  });
}
