import * as tf from '@tensorflow/tfjs';

/**
 * A local-attention (band) mask `(queryLength, keyLength)`: `true` where `|i - j| <= radius`, so
 * query `i` sees the `2·radius + 1` keys centred on position `i` (Luong et al. 2015, local-m with
 * aligned positions). Combine with {@link causalMask} for a causal sliding window.
 *
 * @example
 * ```ts
 * windowMask(4, 4, 1).print();
 * // [[1,1,0,0],[1,1,1,0],[0,1,1,1],[0,0,1,1]] as bools
 * ```
 */
export function windowMask(queryLength: number, keyLength: number, radius: number): tf.Tensor2D {
  for (const [name, value] of [
    ['queryLength', queryLength],
    ['keyLength', keyLength],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`windowMask: ${name} must be a positive integer; got ${value}`);
  }
  if (!Number.isInteger(radius) || radius < 0) throw new Error(`windowMask: radius must be a non-negative integer; got ${radius}`);
  return tf.tidy(() => {
    const rows = tf.range(0, queryLength, 1, 'int32').reshape([queryLength, 1]); // (T, 1)
    const columns = tf.range(0, keyLength, 1, 'int32').reshape([1, keyLength]); // (1, S)
    return tf.lessEqual(tf.abs(tf.sub(columns, rows)), radius) as tf.Tensor2D; // (T, S)
  });
}
