import * as tf from '@tensorflow/tfjs';
import type { TrainableModel } from './trainable-model';

/**
 * @internal When `y` holds sparse class ids for the model's output (rank one less than the
 * output's), checks every id is an integer in [0, classes) or `padId`, reading `y` once.
 */
export async function checkLabelRange(model: TrainableModel, x: tf.Tensor, y: tf.Tensor, padId?: number): Promise<void> {
  const outputShape = tf.tidy(() => model.forward(x.slice(0, 1), false).shape);
  const sparse = y.rank === outputShape.length - 1 && y.shape.slice(1).join() === outputShape.slice(1, -1).join();
  if (!sparse) return;
  const classes = outputShape[outputShape.length - 1]!;
  if (classes < 2) return;
  const values = await y.data();
  for (let index = 0; index < values.length; index++) {
    const label = values[index]!;
    if (label === padId) continue;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(
        `label ${label} at flat index ${index} of y is out of range: the model outputs ${classes} classes, so labels must be integers in [0, ${classes - 1}]` +
          (padId === undefined ? '' : ` or the padId ${padId}`),
      );
    }
  }
}
