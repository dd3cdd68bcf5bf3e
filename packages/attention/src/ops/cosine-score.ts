import * as tf from '@tensorflow/tfjs';
import { describeValue } from '@heed/backends';

const EPSILON = 1e-12;

/**
 * Cosine-similarity scores for every pair, `cos(qₜ, kₛ) = qₜ·kₛ / (|qₜ| |kₛ|)`, times
 * `inverseTemperature` (a number or a scalar tensor, e.g. a learned one): `query (batch, T, dim)`,
 * `key (batch, S, dim)` → `(batch, T, S)`, bounded by ±inverseTemperature.
 *
 * @example
 * ```ts
 * const weights = tf.softmax(cosineScore(embeddings, embeddings, 10)); // softmax(cos / 0.1)
 * ```
 */
export function cosineScore(query: tf.Tensor3D, key: tf.Tensor3D, inverseTemperature: number | tf.Tensor = 1): tf.Tensor3D {
  if (!(inverseTemperature instanceof tf.Tensor) && !(typeof inverseTemperature === 'number' && Number.isFinite(inverseTemperature))) {
    throw new RangeError(`cosineScore: inverseTemperature must be a finite number or a scalar tensor; got ${describeValue(inverseTemperature)}`);
  }
  if (query.shape[2] !== key.shape[2]) throw new Error(`cosineScore: query [${query.shape}] and key [${key.shape}] need the same width`);
  return tf.tidy(() => {
    const unit = (x: tf.Tensor3D) => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), EPSILON))); // (batch, time, dim), |x| = 1
    const cosine = tf.matMul(unit(query), unit(key).transpose([0, 2, 1])); // (batch, T, S)
    return tf.mul(cosine, inverseTemperature);
  });
}
