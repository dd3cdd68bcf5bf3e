import * as tf from '@tensorflow/tfjs';
import type { NamedVariable, TrainingOptimizer } from './training-optimizer';

/** The optimizer fields tfjs keeps protected: its learning rate (read by every `applyGradients`). */
interface LearningRateField {
  learningRate: number;
  setLearningRate?(learningRate: number): void;
}

/** `dense_Dense1/kernel/m` → `m`: tfjs names each slot `<variable name>/<slot>`. */
function slotKind(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/**
 * Adapts one of tfjs's own optimizers (`tf.train.adam`, `sgd`, `momentum`, `rmsprop`, `adagrad`,
 * `adadelta`) to the trainer. The trainer's schedule sets its learning rate before every update
 * (without a schedule the optimizer keeps the rate it was built with). Checkpoints save and
 * restore its slots through tfjs's `getWeights()` / `setWeights()`, renamed to the model's stable
 * weight names (`0:kernel/m`), so they load into a fresh model whose tfjs variable names differ.
 * `tf.train.adamax` has no `getWeights` in tfjs 4.22: it trains, but saving throws.
 *
 * Resuming is bit-exact for SGD, momentum, RMSProp, Adagrad and Adadelta. tfjs's Adam is not:
 * it keeps `β^t` as a float32 variable multiplied by β after every update, but `setWeights`
 * recomputes it as `pow(β, t + 1)`, which differs in the last bits; the resumed losses then drift
 * (measured on cpu: the first resumed loss identical, then up to 1.6e-6 relative after 18 more
 * steps of the package's test; the test allows 5e-6).
 * heed's own {@link adam} keeps the update count as a number and is exact.
 *
 * The `Trainer` wraps a `tf.Optimizer` with this by itself; call it only to use the adapter directly.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model, loss, optimizer: tf.train.momentum(0.05, 0.9) });     // wrapped for you
 * const optimizer = fromTfjsOptimizer(tf.train.rmsprop(1e-3));                                // or explicitly
 * ```
 */
export function fromTfjsOptimizer(optimizer: tf.Optimizer): TrainingOptimizer {
  const className = optimizer.getClassName();
  const hyperParameters = Object.fromEntries(
    Object.entries(optimizer.getConfig()).filter((entry): entry is [string, number | string | boolean] => ['number', 'string', 'boolean'].includes(typeof entry[1])),
  );
  const fields = optimizer as unknown as LearningRateField;
  const builtWith = fields.learningRate;
  let current = builtWith;
  const setLearningRate = (learningRate: number) => {
    if (learningRate === current) return;
    current = learningRate;
    if (typeof fields.setLearningRate === 'function') fields.setLearningRate(learningRate); // SGD, momentum: a kept scalar
    else fields.learningRate = learningRate; // Adam, RMSProp, Adagrad, Adadelta, Adamax read the number
  };
  return {
    config: { name: `tfjs-${className}`, ...hyperParameters },
    learningRate: builtWith,
    get updates() {
      return optimizer.iterations;
    },
    applyGradients(variables, gradients, learningRate) {
      setLearningRate(learningRate);
      // tfjs keys slots by position in this list, so it always lists every variable, in order.
      optimizer.applyGradients(variables.map((variable) => ({ name: variable.variable.name, tensor: gradients[variable.name]! })));
    },
    async slots(variables) {
      const [iterations, ...slots] = await optimizer.getWeights().catch((error: unknown) => {
        throw new Error(`tfjs ${className} cannot be checkpointed: ${(error as Error).message}`, { cause: error });
      });
      iterations?.tensor.dispose(); // a fresh scalar; the update count is saved separately
      if (slots.length % Math.max(variables.length, 1) !== 0) {
        throw new Error(`tfjs ${className} holds ${slots.length} slots, not a multiple of the ${variables.length} trainable variables`);
      }
      // getWeights lists slots kind by kind (all m, then all v), each in variable order.
      return Object.fromEntries(slots.map((slot, index) => [`${variables[index % variables.length]!.name}/${slotKind(slot.name)}`, slot.tensor]));
    },
    async loadState(variables: readonly NamedVariable[], values, updates) {
      const entries = Object.entries(values);
      if (entries.length % Math.max(variables.length, 1) !== 0) {
        throw new Error(`optimizer state holds ${entries.length} slots, not a multiple of the ${variables.length} trainable variables: it was saved from a different model`);
      }
      const weights = entries.map(([name, tensor], index) => {
        const variable = variables[index % variables.length]!;
        const kind = slotKind(name);
        if (name !== `${variable.name}/${kind}`) throw new Error(`optimizer slot ${index} is "${name}" but the model's variable ${index % variables.length} is "${variable.name}": it was saved from a different model`);
        if (tensor.shape.join() !== variable.variable.shape.join()) {
          throw new Error(`optimizer slot "${name}" has shape [${tensor.shape}] but the variable has [${variable.variable.shape}]`);
        }
        return { name: `${variable.variable.name}/${kind}`, tensor };
      });
      const [previousIterations, ...previous] = await optimizer.getWeights(); // setWeights replaces, never frees, the old slots
      tf.dispose([previousIterations?.tensor, ...previous.map((slot) => slot.tensor)]);
      const iterations = tf.scalar(updates, 'int32');
      try {
        await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...weights]); // copies each tensor into a new variable
      } finally {
        iterations.dispose();
      }
    },
    dispose: () => optimizer.dispose(),
  };
}
