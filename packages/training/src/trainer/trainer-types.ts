import type * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from '../data/model-inputs';
import type { DataParallelReplicas } from '../data-parallel/data-parallel-replicas';
import type { TrainingData } from '../data/training-data';
import type { TrainingOptimizer } from '../optimizers/training-optimizer';
import type { LearningRateSchedule } from '../schedules/learning-rate-schedule';
import type { TrainerCallback } from './trainer-callback';
import type { TrainableModel } from './trainable-model';

/** A loss: labels and predictions in, a scalar out (e.g. a `sparseCategoricalCrossEntropy` closure). */
export type LossFunction = (labels: tf.Tensor, predictions: tf.Tensor) => tf.Scalar;

/** A metric over a whole evaluation set: labels and predictions in, a number out. */
export type MetricFunction = (labels: tf.Tensor, predictions: tf.Tensor) => number | Promise<number>;

/**
 * Everything a `Trainer` is built from; only `model` and `loss` are required.
 *
 * @example
 * ```ts
 * const config: TrainerConfig = { model, loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), seed: 7 };
 * ```
 */
export interface TrainerConfig {
  /**
   * The model: a `tf.LayersModel`, `fromVariables(...)` for a function of variables, or any
   * {@link TrainableModel} — also one whose forward takes named tensors (`fromHfModel(bert)`).
   */
  model: tf.LayersModel | TrainableModel<ModelInputs> | TrainableModel<tf.NamedTensorMap>;
  /** The training objective. */
  loss: LossFunction;
  /**
   * Default `adam()`. heed's `adam` / `sgd`, or one of tfjs's own (`tf.train.adam(1e-3)`,
   * `tf.train.momentum(0.05, 0.9)`, `tf.train.rmsprop(...)`, ...), wrapped by `fromTfjsOptimizer`.
   */
  optimizer?: TrainingOptimizer | tf.Optimizer;
  /**
   * Default: constant at the tfjs optimizer's own learning rate, or `constantSchedule(1e-3)`.
   * Indexed by optimizer update, so it resumes with the checkpoint.
   */
  schedule?: LearningRateSchedule;
  /** Clip gradients to this global L2 norm before each update. Default: no clipping. */
  clipNorm?: number;
  /** Average the gradients of this many consecutive batches into one update. Default 1. */
  accumulationSteps?: number;
  /** Seeds the shuffling (and is the RNG state saved in checkpoints). Default 0. */
  seed?: number;
  /** Metrics reported by `evaluate` and on validation data as `val_<name>`. Default: none. */
  metrics?: Readonly<Record<string, MetricFunction>>;
  /** Callbacks for every `fit`. Default: none. */
  callbacks?: readonly TrainerCallback[];
  /** Stop with a {@link NonFiniteError} on a NaN/Inf loss or gradient norm, before the update. Default true. */
  nanGuard?: boolean;
  /** A label id marking padding, exempt from the label range check (pass the same to the loss). Default: none. */
  padId?: number;
  /**
   * Draw dropout masks from `seed` and the batch's place (epoch, batch index), so two runs with
   * the same seed, and a run resumed from a checkpoint, make bit-identical updates. It works by
   * giving `Math.random` a seeded generator for the duration of each (synchronous) training
   * forward and backward pass: tfjs's `tf.dropout` / `tf.layers.dropout` without a seed of their
   * own draw their masks from it. Default true; false leaves `Math.random` alone.
   */
  deterministicDropout?: boolean;
  /**
   * Train data-parallel over processes ({@link DataParallelReplicas.start}): each batch's rows are
   * dealt out to the replicas, and the mean of their gradients, weighted by what each shard's loss
   * averages over (labels that are not `padId`, or examples), makes the one update this trainer's
   * optimizer applies. The caller starts and stops the replicas. Default: this process only.
   */
  replicas?: DataParallelReplicas;
}

/** Options of {@link Trainer.fit}. */
export interface FitOptions {
  /** Train until this many epochs are complete (counting epochs restored from a checkpoint). */
  epochs: number;
  /** Examples per batch for in-memory data (generators and datasets batch themselves). Default 32. */
  batchSize?: number;
  /** Reshuffle in-memory data every epoch with the seeded RNG. Default true. */
  shuffle?: boolean;
  /** Hold out this fraction (in (0, 1)) of the in-memory examples, the last ones, for validation. */
  validationSplit?: number;
  /** A separate validation set. */
  validationData?: TrainingData;
  /** Callbacks for this run, after the trainer's own. */
  callbacks?: readonly TrainerCallback[];
}

/** Reported after each batch. */
export interface BatchLogs {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** Optimizer updates applied so far. */
  step: number;
  loss: number;
  /** The learning rate of the latest update. */
  learningRate: number;
}

/** Reported after each epoch: `loss`, `learningRate`, and `val_loss` / `val_<metric>` with validation data. */
export type EpochLogs = Record<string, number>;

/**
 * The counters a checkpoint restores, including where in an unfinished epoch it was taken.
 *
 * @example
 * ```ts
 * trainer.state; // { epoch: 2, step: 17, batch: 5, randomState: 3271…, epochRandomState: 918…, epochLossSum: 4.1, accumulatedBatches: 0, epochBatching: { batchSize: 16, examples: 96, shuffle: true } }
 * ```
 */
export interface TrainerState {
  /** Completed epochs. */
  epoch: number;
  /** Optimizer updates applied. */
  step: number;
  /** The shuffling RNG's state. */
  randomState: number;
  /** Batches done in the unfinished epoch `epoch` (0 at an epoch boundary); a resumed fit skips them. */
  batch: number;
  /** The RNG state when epoch `epoch` began: a mid-epoch resume redraws that epoch's order from it. */
  epochRandomState: number;
  /** Sum of those batches' losses, so the resumed epoch reports the same mean loss. */
  epochLossSum: number;
  /** Batches whose gradients are summed but not yet applied (gradient accumulation). */
  accumulatedBatches: number;
  /** How the unfinished epoch was batched (in-memory data); a mid-epoch resume must match it. */
  epochBatching?: { batchSize: number; examples: number; shuffle: boolean };
}

/** What {@link Trainer.fit} resolves to. */
export interface FitResult {
  /** One entry per epoch run: `{ epoch, loss, ... }`. */
  history: (EpochLogs & { epoch: number })[];
  /** Whether a callback (e.g. early stopping) stopped the run. */
  stoppedEarly: boolean;
}
