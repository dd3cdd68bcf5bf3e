import type * as tf from '@tensorflow/tfjs';

/** A trainable variable with the stable name it is checkpointed under. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
}

/**
 * An optimizer whose whole state is explicit: per-variable slot tensors plus an update count kept
 * as a JavaScript number (bias corrections are computed in float64 from it), so a run resumed
 * from a checkpoint makes bit-identical updates. tfjs's own Adam recomputes its β powers with
 * `pow` on resume but multiplies them step by step otherwise, which drifts in the last bits.
 *
 * @example
 * ```ts
 * const optimizer = adam();
 * optimizer.applyGradients([{ name: 'w', variable: weight }], { w: gradient }, 1e-3);
 * optimizer.updates; // 1
 * ```
 */
export interface TrainingOptimizer {
  /** Name and hyper-parameters, for logs and checkpoints. */
  readonly config: { readonly name: string } & Readonly<Record<string, number | string | boolean>>;
  /** Updates applied so far. */
  readonly updates: number;
  /** The learning rate it was built with, used when the trainer has no schedule (tfjs optimizers). Default: none (the trainer uses 1e-3). */
  readonly learningRate?: number;
  /** Applies one update with `learningRate`; `gradients` are keyed by variable name. Disposes nothing it was given. */
  applyGradients(variables: readonly NamedVariable[], gradients: tf.NamedTensorMap, learningRate: number): void;
  /** The slot tensors of `variables` (the trainable ones, in order), named `<variable>/<slot>` (shared, not copies). */
  slots(variables: readonly NamedVariable[]): tf.NamedTensorMap | Promise<tf.NamedTensorMap>;
  /** Restores slots and the update count from a checkpoint (creating slots as needed); copies, never keeps, `slots`. */
  loadState(variables: readonly NamedVariable[], slots: tf.NamedTensorMap, updates: number): void | Promise<void>;
  /** Frees the slots. */
  dispose(): void;
}
