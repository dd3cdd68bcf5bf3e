import * as tf from '@tensorflow/tfjs';
import { checkSmoothing, PROBABILITY_EPSILON } from './sparse-categorical-cross-entropy';

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions {
  /** Whether `predictions` are logits or probabilities (default false: probabilities, as Keras). */
  fromLogits?: boolean;
  /** Label smoothing ε (default 0): labels become labels·(1 - ε) + ε/2. */
  labelSmoothing?: number;
}

/**
 * Binary cross-entropy `mean(-(y·log p + (1 - y)·log(1 - p)))` over every element. With
 * `fromLogits` it uses the overflow-free form `max(x, 0) - x·y + log(1 + exp(-|x|))`. Equals
 * scikit-learn's `log_loss` for binary labels.
 *
 * @example
 * ```ts
 * binaryCrossEntropy(tf.tensor1d([1, 0]), tf.tensor1d([0.9, 0.2])); // (−log .9 − log .8) / 2
 * ```
 */
export function binaryCrossEntropy(labels: tf.Tensor, predictions: tf.Tensor, options: BinaryCrossEntropyOptions = {}): tf.Scalar {
  const { fromLogits = false, labelSmoothing = 0 } = options;
  checkSmoothing(labelSmoothing);
  if (labels.shape.join(',') !== predictions.shape.join(',')) {
    throw new RangeError(`labels have shape [${labels.shape}] but predictions have shape [${predictions.shape}]: they must match`);
  }
  return tf.tidy(() => {
    const targets = labelSmoothing > 0 ? tf.add(tf.mul(labels.toFloat(), 1 - labelSmoothing), labelSmoothing / 2) : labels.toFloat();
    if (fromLogits) {
      const positivePart = tf.relu(predictions);
      return tf.mean(tf.add(tf.sub(positivePart, tf.mul(predictions, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(predictions)))))) as tf.Scalar;
    }
    const probability = tf.clipByValue(predictions, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
    const terms = tf.add(tf.mul(targets, tf.log(probability)), tf.mul(tf.sub(1, targets), tf.log(tf.sub(1, probability))));
    return tf.neg(tf.mean(terms)) as tf.Scalar;
  });
}
