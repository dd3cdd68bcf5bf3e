import * as tf from '@tensorflow/tfjs';

/** Options of {@link sparseCategoricalCrossEntropy}. */
export interface SparseCategoricalCrossEntropyOptions {
  /** Whether `predictions` are logits (default true) or probabilities. */
  fromLogits?: boolean;
  /**
   * Label smoothing ε (default 0): the target puts 1 - ε on the label and ε/classes on every
   * class, as in "Rethinking the Inception Architecture" (Szegedy et al., 2016).
   */
  labelSmoothing?: number;
  /** Label positions holding this id (padding) are left out of the loss and of the mean. Default: none. */
  padId?: number;
}

/** Smallest probability taken to the log when `fromLogits` is false, as Keras's epsilon. */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * Log-probabilities from logits (log-softmax) or from probabilities (clipped log), last axis.
 * @internal
 */
export function logProbabilities(predictions: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return fromLogits ? tf.logSoftmax(predictions) : tf.log(tf.clipByValue(predictions, PROBABILITY_EPSILON, 1));
}

/** @internal */
export function checkSmoothing(labelSmoothing: number): void {
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new RangeError(`labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
}

/**
 * Cross-entropy between integer labels and class scores, averaged over the labelled (non-padding)
 * positions. Works for classification `(batch)` labels with `(batch, classes)` scores and for
 * sequences `(batch, time)` with `(batch, time, classes)`, where the mean is per token. Labels are
 * not range-checked here (that would read the tensor back): the `Trainer` checks them once per fit.
 *
 * @returns a scalar.
 * @example
 * ```ts
 * const labels = tf.tensor2d([[4, 2, 0]], undefined, 'int32');   // (batch 1, time 3), 0 = padding
 * const logits = tf.randomNormal([1, 3, 10]);                     // (batch, time, classes)
 * const loss = sparseCategoricalCrossEntropy(labels, logits, { padId: 0, labelSmoothing: 0.1 });
 * ```
 */
export function sparseCategoricalCrossEntropy(
  labels: tf.Tensor,
  predictions: tf.Tensor,
  options: SparseCategoricalCrossEntropyOptions = {},
): tf.Scalar {
  const { fromLogits = true, labelSmoothing = 0, padId } = options;
  checkSmoothing(labelSmoothing);
  const expected = predictions.shape.slice(0, -1).join(',');
  if (labels.shape.join(',') !== expected) {
    throw new RangeError(`labels have shape [${labels.shape}] but predictions [${predictions.shape}] need labels of shape [${expected}]`);
  }
  const classes = predictions.shape[predictions.rank - 1]!;
  return tf.tidy(() => {
    const logProbability = logProbabilities(predictions, fromLogits); // (..., classes)
    const indices = labels.toInt();
    const negativeLogLikelihood = tf.neg(tf.sum(tf.mul(tf.oneHot(indices, classes), logProbability), -1)); // (...)
    const perPosition =
      labelSmoothing > 0
        ? tf.add(tf.mul(1 - labelSmoothing, negativeLogLikelihood), tf.mul(labelSmoothing, tf.neg(tf.mean(logProbability, -1))))
        : negativeLogLikelihood;
    if (padId === undefined) return tf.mean(perPosition) as tf.Scalar;
    const mask = tf.notEqual(indices, tf.scalar(padId, 'int32')).toFloat(); // 1 on real tokens
    return tf.div(tf.sum(tf.mul(perPosition, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
