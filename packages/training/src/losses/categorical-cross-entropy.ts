import * as tf from '@tensorflow/tfjs';
import { checkSmoothing, logProbabilities } from './sparse-categorical-cross-entropy';

/** Options of {@link categoricalCrossEntropy}. */
export interface CategoricalCrossEntropyOptions {
  /** Whether `predictions` are logits or probabilities (default false: probabilities, as Keras). */
  fromLogits?: boolean;
  /** Label smoothing ε (default 0): targets become (1 - ε)·targets + ε/classes. */
  labelSmoothing?: number;
}

/**
 * Cross-entropy between target distributions (one-hot or soft) and predictions, averaged over the
 * batch: `mean(-Σ_c target_c · log p_c)`. Equals scikit-learn's `log_loss` on probabilities.
 *
 * @param targets `(batch, classes)`.
 * @param predictions `(batch, classes)`.
 * @example
 * ```ts
 * categoricalCrossEntropy(tf.tensor2d([[0, 1]]), tf.tensor2d([[0.2, 0.8]])); // -log 0.8 ≈ 0.223
 * ```
 */
export function categoricalCrossEntropy(
  targets: tf.Tensor,
  predictions: tf.Tensor,
  options: CategoricalCrossEntropyOptions = {},
): tf.Scalar {
  const { fromLogits = false, labelSmoothing = 0 } = options;
  checkSmoothing(labelSmoothing);
  if (targets.shape.join(',') !== predictions.shape.join(',')) {
    throw new RangeError(`targets have shape [${targets.shape}] but predictions have shape [${predictions.shape}]: they must match`);
  }
  const classes = predictions.shape[predictions.rank - 1]!;
  return tf.tidy(() => {
    const smoothed = labelSmoothing > 0 ? tf.add(tf.mul(targets, 1 - labelSmoothing), labelSmoothing / classes) : targets;
    const perExample = tf.neg(tf.sum(tf.mul(smoothed, logProbabilities(predictions, fromLogits)), -1));
    return tf.mean(perExample) as tf.Scalar;
  });
}
