import * as tf from '@tensorflow/tfjs';
import type { MetricFunction } from '../trainer/trainer-types';
import { precisionRecallF1 } from './precision-recall-f1';

/** Options of {@link tensorF1}. */
export interface TensorF1Options {
  /**
   * How classes are combined, as scikit-learn's `f1_score(average=...)`: `'binary'` (the F1 of
   * class 1; needs two classes), `'macro'` (unweighted mean over classes), `'micro'`,
   * `'weighted'` (by support). Default `'macro'`.
   */
  average?: 'binary' | 'macro' | 'micro' | 'weighted';
}

/**
 * F1 on tensors, for `Trainer` metrics (reported each epoch on validation data as `val_f1`):
 * predictions `(batch, classes)` are reduced by argmax, labels are class ids `(batch)` or one-hot.
 * Equals scikit-learn's `f1_score(..., labels=range(classes), zero_division=0)`.
 *
 * @example
 * ```ts
 * new Trainer({ model, loss, metrics: { accuracy: tensorAccuracy, f1: tensorF1({ average: 'binary' }) } });
 * await tensorF1()(tf.tensor1d([0, 1, 1]), tf.tensor2d([[2, 0], [0, 1], [3, 0]])); // macro F1 = 0.666…
 * ```
 */
export function tensorF1(options: TensorF1Options = {}): MetricFunction {
  const { average = 'macro' } = options;
  if (!['binary', 'macro', 'micro', 'weighted'].includes(average)) throw new RangeError(`tensorF1: average must be 'binary', 'macro', 'micro' or 'weighted', got ${String(average)}`);
  return async (labels, predictions) => {
    if (predictions.rank < 2) throw new RangeError(`tensorF1 needs class scores (batch, classes), got predictions of shape [${predictions.shape}]`);
    const classes = predictions.shape[predictions.rank - 1]!;
    if (average === 'binary' && classes !== 2) throw new RangeError(`tensorF1({ average: 'binary' }) needs 2 classes, but the predictions have ${classes}; use 'macro'`);
    const [predicted, expected] = tf.tidy(() => [
      tf.argMax(predictions, -1).reshape([-1]),
      labels.shape.join() === predictions.shape.join() ? tf.argMax(labels, -1).reshape([-1]) : labels.reshape([-1]).toInt(),
    ]);
    const [yPred, yTrue] = await Promise.all([predicted!.data(), expected!.data()]);
    tf.dispose([predicted!, expected!]);
    const report = precisionRecallF1(yTrue, yPred, classes);
    return average === 'binary' ? report.perClass[1]!.f1 : report[average].f1;
  };
}
