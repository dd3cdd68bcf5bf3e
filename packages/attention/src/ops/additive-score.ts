import * as tf from '@tensorflow/tfjs';
import { describeValue } from '@heed/backends';
import { denseLastAxis } from '../layers/layer-utils';

/** Weights of {@link additiveScore}. */
export interface AdditiveScoreWeights {
  /** W `(queryDim, units)` */
  queryKernel: tf.Tensor2D;
  /** U `(keyDim, units)` */
  keyKernel: tf.Tensor2D;
  /** b `(units,)`; omitted = 0 (Luong's `concat` score). */
  bias?: tf.Tensor1D;
  /** v `(units, 1)` */
  scoreVector: tf.Tensor2D;
}

/**
 * The additive alignment score of Bahdanau et al. 2015 (eq. 6, appendix A.1.2),
 * `scoreₜₛ = vᵀ tanh(W·queryₜ + U·keyₛ + b)`, for every pair: `query (batch, T, queryDim)`,
 * `key (batch, S, keyDim)` → `(batch, T, S)`. Without `bias` it is Luong's `concat` score
 * `vᵀ tanh(W[q; k])` with W split by rows.
 *
 * @example
 * ```ts
 * const scores = additiveScore(query, key, { queryKernel, keyKernel, bias, scoreVector }); // (batch, T, S)
 * ```
 */
export function additiveScore(query: tf.Tensor3D, key: tf.Tensor3D, weights: AdditiveScoreWeights): tf.Tensor3D {
  for (const name of ['queryKernel', 'keyKernel', 'scoreVector'] as const) {
    const weight: unknown = weights?.[name];
    if (!(weight instanceof tf.Tensor) || weight.rank !== 2) {
      throw new Error(`additiveScore: weights.${name} must be a rank-2 tensor; got ${weight instanceof tf.Tensor ? `shape [${weight.shape}]` : describeValue(weight)}`);
    }
  }
  if (weights.bias !== undefined && !(weights.bias instanceof tf.Tensor && weights.bias.rank === 1)) {
    throw new Error(`additiveScore: weights.bias must be a rank-1 tensor or omitted; got ${weights.bias instanceof tf.Tensor ? `shape [${(weights.bias as tf.Tensor).shape}]` : describeValue(weights.bias)}`);
  }
  const units = weights.scoreVector.shape[0];
  if (query.shape[2] !== weights.queryKernel.shape[0] || key.shape[2] !== weights.keyKernel.shape[0] || weights.queryKernel.shape[1] !== units || weights.keyKernel.shape[1] !== units) {
    throw new Error(
      `additiveScore: query [${query.shape}] and key [${key.shape}] do not fit queryKernel [${weights.queryKernel.shape}], keyKernel [${weights.keyKernel.shape}] and scoreVector [${weights.scoreVector.shape}]`,
    );
  }
  return tf.tidy(() => {
    const [batch, queryLength] = query.shape;
    const keyLength = key.shape[1];
    const projectedQuery = denseLastAxis(query, weights.queryKernel, weights.bias); // (batch, T, units)
    const projectedKey = denseLastAxis(key, weights.keyKernel); // (batch, S, units)
    const hidden = tf.tanh(tf.add(projectedQuery.expandDims(2), projectedKey.expandDims(1))); // (batch, T, S, units)
    return tf.matMul(hidden.reshape([-1, units]), weights.scoreVector).reshape([batch, queryLength, keyLength]) as tf.Tensor3D; // (batch, T, S)
  });
}
