import * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from '../data/model-inputs';
import type { NamedVariable } from '../optimizers/training-optimizer';

/** A model weight with the stable name it is checkpointed under. */
export interface ModelWeight extends NamedVariable {
  /** Whether the optimizer updates it (non-trainable weights, e.g. batch-norm statistics, are still checkpointed). */
  readonly trainable: boolean;
  /** A readable name for error messages (the layer weight's name, when there is one). */
  readonly displayName: string;
}

/**
 * What the trainer needs from a model: its weights and a forward pass. `Inputs` is one tensor
 * (the default) or named tensors (`{ input_ids, attention_mask, token_type_ids }`).
 */
export interface TrainableModel<Inputs extends ModelInputs = tf.Tensor> {
  /** Every weight, in a stable order. */
  readonly weights: readonly ModelWeight[];
  /** Runs the model; `training` switches dropout and similar layers. */
  forward(inputs: Inputs, training: boolean): tf.Tensor;
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
 * checkpointed under its key. The function takes one tensor, or named tensors.
 *
 * @example
 * ```ts
 * const weight = tf.variable(tf.zeros([4, 1]));
 * const bias = tf.variable(tf.zeros([1]));
 * const model = fromVariables({ weight, bias }, (x) => x.matMul(weight).add(bias));
 * // Named inputs:
 * const embeddings = tf.variable(tf.randomNormal([100, 8]));
 * const pooled = fromVariables({ embeddings }, (inputs: tf.NamedTensorMap) => tf.mean(tf.gather(embeddings, inputs.input_ids!), 1));
 * ```
 */
export function fromVariables<Inputs extends ModelInputs = tf.Tensor>(
  variables: Readonly<Record<string, tf.Variable>>,
  forward: (inputs: Inputs, training: boolean) => tf.Tensor,
): TrainableModel<Inputs> {
  const weights = Object.entries(variables).map(([name, variable]) => ({ name, variable, trainable: true, displayName: name }));
  if (weights.length === 0) throw new RangeError('fromVariables needs at least one variable, got none');
  return { weights, forward };
}

/**
 * The shape of a Hugging Face model object from `@heed/models` (`BertForSequenceClassification`,
 * ...): weights under their state-dict names and a forward pass on named tensors that returns
 * `logits` among other outputs. Matched structurally (this package does not import @heed/models).
 */
export interface HfModelLike {
  readonly weights: readonly ModelWeight[];
  forward(inputs: { readonly input_ids: tf.Tensor2D; readonly attention_mask?: tf.Tensor2D; readonly token_type_ids?: tf.Tensor2D }, options?: { training?: boolean }): { readonly logits?: tf.Tensor };
}

/**
 * Adapts a Hugging Face model object (`fromPretrained(...)` from `@heed/models`) for the trainer:
 * named inputs in, `logits` out; its weights keep their HF names (`bert.encoder.layer.0...`), so
 * checkpoints and {@link isNoDecayParameter} read them. Its other outputs are left to the
 * enclosing `tf.tidy` (the trainer runs every forward pass in one).
 *
 * @example
 * ```ts
 * const model = await fromPretrained('./bert-tiny');
 * const trainer = new Trainer({ model: fromHfModel(model), loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), optimizer: adamw() });
 * await trainer.fit({ x: { input_ids, attention_mask, token_type_ids }, y: labels }, { epochs: 3, batchSize: 16 });
 * ```
 */
export function fromHfModel(model: HfModelLike): TrainableModel<tf.NamedTensorMap> {
  return {
    weights: model.weights,
    forward(inputs, training) {
      const outputs = model.forward(inputs as unknown as Parameters<HfModelLike['forward']>[0], { training });
      const { logits } = outputs;
      if (!(logits instanceof tf.Tensor)) {
        throw new TypeError(`fromHfModel: the model's forward returned no logits (outputs: ${Object.keys(outputs).join(', ') || 'none'}); use a model with a task head`);
      }
      return logits;
    },
  };
}

/** @internal */
export function toTrainableModel(model: tf.LayersModel | TrainableModel<ModelInputs>): TrainableModel<ModelInputs> {
  return model instanceof tf.LayersModel ? (fromLayersModel(model) as TrainableModel<ModelInputs>) : model;
}
