import * as tf from '@tensorflow/tfjs';

/**
 * Mean token cross-entropy of `logits (batch, T, V)` against `labels (batch, T)` int32, ignoring
 * positions whose label is `padId`, with optional label smoothing ε (target distribution
 * (1 − ε)·onehot + ε/V). Returns a scalar; 0 when every label is padding.
 *
 * @example
 * ```ts
 * const loss = maskedSequenceCrossEntropy(logits, labels, { padId: 0, labelSmoothing: 0.1 });
 * ```
 */
export function maskedSequenceCrossEntropy(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  options: { padId: number; labelSmoothing?: number },
): tf.Scalar {
  const [batch, time, vocab] = logits.shape;
  if (labels.rank !== 2 || labels.shape[0] !== batch || labels.shape[1] !== time) {
    throw new Error(`maskedSequenceCrossEntropy: labels must have shape [${batch},${time}] to match logits [${logits.shape}]; got [${labels.shape}]`);
  }
  const epsilon = options.labelSmoothing ?? 0;
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits); // (batch, T, V)
    const onehot = tf.oneHot(labels, vocab); // (batch, T, V)
    const target = epsilon > 0 ? tf.add(tf.mul(onehot, 1 - epsilon), epsilon / vocab) : onehot;
    const perToken = tf.neg(tf.sum(tf.mul(target, logProbs), -1)); // (batch, T)
    const mask = tf.cast(tf.notEqual(labels, options.padId), 'float32'); // (batch, T)
    return tf.div(tf.sum(tf.mul(perToken, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
