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

/** tfjs' automatic layer name `dense_Dense3`: the class in snake case, the class and a process-wide counter. */
const AUTO_LAYER_NAME = /^([a-z0-9_]+)_([A-Z][A-Za-z0-9]*?)\d+$/;
const snakeCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * Role names of a model's weights: `<layer>/<weight>`, the layer's own name when it was given
 * one, else its class in snake case numbered as Keras numbers them (`dense`, `dense_1`, … in the
 * order the weights come), so a fresh instance of the same architecture gets the same names.
 */
function layerWeightNames(model: tf.LayersModel): string[] {
  const roles = new Map<string, string>();
  const used = new Map<string, number>();
  const roleOf = (layer: string) => {
    let role = roles.get(layer);
    if (role === undefined) {
      const auto = AUTO_LAYER_NAME.exec(layer);
      const base = auto && snakeCase(auto[2]!) === auto[1] ? auto[1]! : layer;
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      role = auto && base === auto[1] && seen > 0 ? `${base}_${seen}` : base;
      roles.set(layer, role);
    }
    return role;
  };
  const names = model.weights.map((weight) => {
    const cut = weight.originalName.indexOf('/');
    return cut < 0 ? weight.originalName : `${roleOf(weight.originalName.slice(0, cut))}${weight.originalName.slice(cut)}`;
  });
  // Two layers given the same name by hand: fall back to positions rather than collide.
  return new Set(names).size === names.length ? names : model.weights.map((weight, index) => `${index}:${weight.originalName.split('/').pop() ?? 'weight'}`);
}

/**
 * Adapts a `tf.LayersModel`. Weights are named by role, `<layer>/<weight>`: the layer's own name
 * when it was given one (`encoder/kernel`), else as Keras names layers (`dense/kernel`,
 * `dense_1/kernel`), not by tfjs's auto-generated layer names (`dense_Dense3`), which change with
 * every model built in a process, so a checkpoint loads into a fresh instance of the same
 * architecture. (Checkpoints of heed ≤ 0.1 named them by position, `"0:kernel"`; `Trainer.load`
 * still reads those.)
 *
 * @example
 * ```ts
 * const trainable = fromLayersModel(tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4] }), tf.layers.dense({ units: 1 })] }));
 * trainable.weights.map((weight) => weight.name); // ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']
 * ```
 */
export function fromLayersModel(model: tf.LayersModel): TrainableModel {
  const trainable = new Set(model.trainableWeights.map((weight) => weight.read()));
  const names = layerWeightNames(model);
  const weights = model.weights.map((weight, index) => {
    const variable = weight.read() as tf.Variable;
    return { name: names[index]!, variable, trainable: trainable.has(variable), displayName: weight.name };
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
