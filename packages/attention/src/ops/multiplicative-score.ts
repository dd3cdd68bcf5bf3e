import * as tf from '@tensorflow/tfjs';
import { denseLastAxis } from '../layers/layer-utils';

/**
 * Luong et al. 2015's multiplicative scores (eq. 8) for every pair, `query (batch, T, queryDim)`,
 * `key (batch, S, keyDim)` → `(batch, T, S)`: `dot` = `qᵀk` (no kernel; equal widths), `general` =
 * `qᵀ W k` with `kernel` W `(queryDim, keyDim)`. Multiply by `1/√dim` for the scaled dot product.
 *
 * @example
 * ```ts
 * const dotScores = multiplicativeScore(query, key);            // (batch, T, S)
 * const generalScores = multiplicativeScore(query, key, kernel); // qᵀWk
 * ```
 */
export function multiplicativeScore(query: tf.Tensor3D, key: tf.Tensor3D, kernel?: tf.Tensor2D): tf.Tensor3D {
  const projectedWidth = kernel ? kernel.shape[1] : query.shape[2];
  if ((kernel && kernel.shape[0] !== query.shape[2]) || projectedWidth !== key.shape[2]) {
    throw new Error(`multiplicativeScore: query [${query.shape}]${kernel ? ` with kernel [${kernel.shape}]` : ''} and key [${key.shape}] must meet in the last axis`);
  }
  return tf.tidy(() => {
    const projected = kernel ? (denseLastAxis(query, kernel) as tf.Tensor3D) : query; // (batch, T, keyDim)
    return tf.matMul(projected, key.transpose([0, 2, 1])); // (batch, T, keyDim) · (batch, keyDim, S) = (batch, T, S)
  });
}
