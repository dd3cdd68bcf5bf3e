import * as tf from '@tensorflow/tfjs';
import { checkInputsAgree, countExamples, describeInputs, mapInputs, type ModelInputs } from '../data/model-inputs';
import type { TrainableModel } from './trainable-model';

/**
 * @internal Checks labels against the model's output: when `y` holds sparse class ids (rank one
 * less than the output's), every id must be an integer in [0, classes) or `padId`; labels of the
 * output's rank (one-hot, probabilities) must have its class count on the last axis. The output's
 * rank and class count come from one forward pass of one example, on the first call. `where`
 * names the labels in errors (`"y"`, `"ys of batch 2 of epoch 0"`).
 */
export class LabelRangeCheck {
  private output: { rank: number; classes: number } | undefined;

  constructor(
    private readonly model: TrainableModel<ModelInputs>,
    private readonly padId?: number,
  ) {}

  async check(x: ModelInputs, y: tf.Tensor, where: string): Promise<void> {
    if (countExamples(x) === 0) return;
    this.output ??= tf.tidy(() => {
      const shape = this.model.forward(mapInputs(x, (tensor) => tensor.slice(0, 1)), false).shape;
      return { rank: shape.length, classes: shape[shape.length - 1] ?? 1 };
    });
    const { rank, classes } = this.output;
    if (y.rank === rank && classes >= 2 && y.shape[rank - 1] !== classes) {
      throw new RangeError(`${where} has shape [${y.shape}]: one-hot or probability labels need ${classes} values on the last axis, as the model outputs ${classes} classes`);
    }
    if (y.rank !== rank - 1 || classes < 2) return; // one-hot, probabilities or a single output unit
    const values = await y.data();
    for (let index = 0; index < values.length; index++) {
      const label = values[index]!;
      if (label === this.padId) continue;
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new RangeError(
          `label ${label} at flat index ${index} of ${where} is out of range: the model outputs ${classes} classes, so labels must be integers in [0, ${classes - 1}]` +
            (this.padId === undefined ? '' : ` or the padId ${this.padId}`),
        );
      }
    }
  }
}

/**
 * @internal Throws unless a streamed batch is `{ xs, ys }` tensors with the same, non-zero number
 * of examples. `where` names it (`"batch 2 of epoch 0"`).
 */
export function checkBatchShapes(batch: unknown, where: string): void {
  const { xs, ys } = (batch ?? {}) as { xs?: unknown; ys?: unknown };
  const named = xs !== null && typeof xs === 'object' && !(xs instanceof tf.Tensor) && Object.values(xs).every((value) => value instanceof tf.Tensor);
  if (!(xs instanceof tf.Tensor || named) || !(ys instanceof tf.Tensor)) {
    const keys = batch !== null && typeof batch === 'object' ? `{ ${Object.keys(batch).join(', ')} }` : String(batch);
    throw new TypeError(`${where} must be { xs: tf.Tensor | { [name]: tf.Tensor }, ys: tf.Tensor }, got ${keys}`);
  }
  const inputs = xs as ModelInputs;
  if ((xs instanceof tf.Tensor && xs.rank === 0) || ys.rank === 0) throw new RangeError(`${where}: xs and ys need an examples axis, got shapes ${describeInputs(inputs)} and [${ys.shape}]`);
  const examples = checkInputsAgree(inputs, `xs in ${where}`);
  if (examples !== ys.shape[0]) throw new RangeError(`${where}: xs has ${examples} examples (shape ${describeInputs(inputs)}) but ys has ${ys.shape[0]} (shape [${ys.shape}])`);
  if (examples === 0) throw new RangeError(`${where} is empty: xs has shape ${describeInputs(inputs)}`);
}
