import * as tf from '@tensorflow/tfjs';

/**
 * Classification accuracy on tensors, for `Trainer` metrics. Predictions `(batch, classes)` are
 * reduced by argmax (`(batch, 1)` or `(batch)` scores by thresholding at 0.5, so pass
 * probabilities); labels may be class ids `(batch)` or one-hot `(batch, classes)`.
 *
 * @example
 * ```ts
 * new Trainer({ model, loss, metrics: { accuracy: tensorAccuracy } });
 * await tensorAccuracy(tf.tensor1d([2, 0]), tf.tensor2d([[0, 1, 5], [3, 1, 0]])); // 1
 * ```
 */
export async function tensorAccuracy(labels: tf.Tensor, predictions: tf.Tensor): Promise<number> {
  const classes = predictions.rank >= 2 ? predictions.shape[predictions.rank - 1]! : 1;
  const correct = tf.tidy(() => {
    const predicted = classes > 1 ? tf.argMax(predictions, -1) : tf.greaterEqual(predictions.reshape([-1]), 0.5).toInt();
    const expected =
      labels.shape.join() === predictions.shape.join() && classes > 1 ? tf.argMax(labels, -1) : labels.reshape(predicted.shape).toInt();
    return tf.mean(tf.equal(predicted.toInt(), expected).toFloat());
  });
  const [value] = await correct.data();
  correct.dispose();
  return value!;
}
