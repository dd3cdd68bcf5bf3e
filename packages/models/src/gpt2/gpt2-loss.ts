import * as tf from '@tensorflow/tfjs';
import { causalLmLoss } from '@heed/training';

/**
 * The causal-LM loss of GPT2LMHeadModel: mean cross-entropy of `logits[:, :-1]` against
 * `labels[:, 1:]` (each position predicts the next token), labels -100 ignored (padding), as
 * transformers computes it when `labels` are given. Labels as arrays, range-checked; the tensor
 * form is @heed/training's `causalLmLoss` (which this calls), or `labels` in
 * `GPT2LMHeadModel.forward`.
 *
 * @example
 * ```ts
 * const loss = crossEntropyShifted(model.forward({ input_ids }).logits as tf.Tensor3D, ids); // labels = the ids themselves
 * ```
 */
export function crossEntropyShifted(logits: tf.Tensor3D, labels: readonly (readonly number[])[]): tf.Scalar {
  const [batch, time, vocab] = logits.shape;
  if (labels.length !== batch || labels.some((row) => row.length !== time)) {
    throw new Error(`crossEntropyShifted: labels must be ${batch} rows of ${time} ids (the logits' batch and tokens); got ${labels.length} rows of [${labels.map((row) => row.length).join(', ')}]`);
  }
  const targets = labels.flatMap((row) => row.slice(1));
  const bad = targets.findIndex((id) => id !== -100 && (!Number.isInteger(id) || id < 0 || id >= vocab));
  if (bad >= 0) throw new RangeError(`crossEntropyShifted: label ${targets[bad]} is outside the vocabulary [0, ${vocab}) and is not -100`);
  if (targets.every((id) => id === -100)) throw new Error('crossEntropyShifted: every label after the first token is -100; nothing to predict');
  return tf.tidy(() => causalLmLoss(tf.tensor2d(labels as number[][], [batch, time], 'int32'), logits));
}
