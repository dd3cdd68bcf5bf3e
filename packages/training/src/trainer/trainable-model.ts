import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../optimizers/training-optimizer';

/** A model weight with the stable name it is checkpointed under. */
export interface ModelWeight extends NamedVariable {
  /** Whether the optimizer updates it (non-trainable weights, e.g. batch-norm statistics, are still checkpointed). */
  readonly trainable: boolean;
  /** A readable name for error messages (the layer weight's name, when there is one). */
  readonly displayName: string;
}

/** What the trainer needs from a model: its weights and a forward pass. */
export interface TrainableModel {
  /** Every weight, in a stable order. */
  readonly weights: readonly ModelWeight[];
  /** Runs the model; `training` switches dropout and similar layers. */
  forward(inputs: tf.Tensor, training: boolean): tf.Tensor;
}

/**
 * Adapts a `tf.LayersModel`. Weights are named by position (`"0:kernel"`, `"1:bias"`, ...), not by
 * tfjs's auto-generated layer names (`dense_Dense3`), which change with every model built in a
 * process, so a checkpoint loads into a fresh instance of the same architecture.
 *
 * @example
 * ```ts
 * const trainable = fromLayersModel(tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] })] }));
 * trainable.weights.map((weight) => weight.name); // ['0:kernel', '1:bias']
 * ```
 */
export function fromLayersModel(model: tf.LayersModel): TrainableModel {
  const trainable = new Set(model.trainableWeights.map((weight) => weight.read()));
  const weights = model.weights.map((weight, index) => {
    const variable = weight.read() as tf.Variable;
    const suffix = weight.originalName.split('/').pop() ?? 'weight';
    return { name: `${index}:${suffix}`, variable, trainable: trainable.has(variable), displayName: weight.name };
  });
  return {
    weights,
    forward: (inputs, training) => model.apply(inputs, { training }) as tf.Tensor,
  };
}

/**
 * Adapts a function of variables (no layers needed): every variable is trainable and is
 * checkpointed under its key.
 *
 * @example
 * ```ts
 * const weight = tf.variable(tf.zeros([4, 1]));
 * const bias = tf.variable(tf.zeros([1]));
 * const model = fromVariables({ weight, bias }, (x) => x.matMul(weight).add(bias));
 * ```
 */
export function fromVariables(
  variables: Readonly<Record<string, tf.Variable>>,
  forward: (inputs: tf.Tensor, training: boolean) => tf.Tensor,
): TrainableModel {
  const weights = Object.entries(variables).map(([name, variable]) => ({ name, variable, trainable: true, displayName: name }));
  if (weights.length === 0) throw new RangeError('fromVariables needs at least one variable, got none');
  return { weights, forward };
}

/** @internal */
export function toTrainableModel(model: tf.LayersModel | TrainableModel): TrainableModel {
  return model instanceof tf.LayersModel ? fromLayersModel(model) : model;
}
