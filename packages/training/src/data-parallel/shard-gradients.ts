import * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from '../data/model-inputs';
import { withSeededRandom } from '../trainer/seeded-dropout';
import type { ModelWeight, TrainableModel } from '../trainer/trainable-model';
import type { LossFunction } from '../trainer/trainer-types';
import type { ShardGradients } from './average-shards';

/**
 * How many values a mean loss over `labels` averages: the labels that are not `padId` (a
 * token-level sequence loss leaves padding out), or, without a `padId`, the examples. It is a
 * shard's weight in {@link averageShards}.
 *
 * @example
 * ```ts
 * await labelCount(tf.tensor2d([[5, 6, 0], [7, 0, 0]], undefined, 'int32'), 0); // 3
 * await labelCount(tf.tensor1d([2, 0, 1], 'int32'));                            // 3 examples
 * ```
 */
export async function labelCount(labels: tf.Tensor, padId?: number): Promise<number> {
  if (padId === undefined) return labels.shape[0] ?? 1;
  const values = await labels.data();
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== padId) count++;
  return count;
}

/**
 * The gradients of `loss(labels, model.forward(inputs, true))` for every trainable weight of
 * `model`, copied out of the backend (no tensor is left behind); dropout masks drawn from `seed`
 * when one is given (see {@link withSeededRandom}). `count` is passed through as the shard's weight.
 *
 * @example
 * ```ts
 * const shard = shardGradients(model, loss, xs, ys, await labelCount(ys, padId), 17);
 * ```
 */
export function shardGradients(model: TrainableModel<ModelInputs>, loss: LossFunction, inputs: ModelInputs, labels: tf.Tensor, count: number, seed: number | undefined): ShardGradients {
  const trainable: ModelWeight[] = model.weights.filter((weight) => weight.trainable);
  const variables = trainable.map((weight) => weight.variable);
  const run = () => tf.variableGrads(() => loss(labels, model.forward(inputs, true)), variables);
  const { value, grads } = seed === undefined ? run() : withSeededRandom(seed, run);
  const arrays = trainable.map((weight) => {
    const grad = grads[weight.variable.name];
    return grad ? Float32Array.from(grad.dataSync() as Float32Array) : null;
  });
  const lossValue = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return { grads: arrays, count, loss: lossValue };
}
