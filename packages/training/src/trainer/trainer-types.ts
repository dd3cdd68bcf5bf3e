import type * as tf from '@tensorflow/tfjs';
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
  /** The model: a `tf.LayersModel`, or `fromVariables(...)` for a function of variables. */
  model: tf.LayersModel | TrainableModel;
  /** The training objective. */
  loss: LossFunction;
  /** Default `adam()`. */
  optimizer?: TrainingOptimizer;
  /** Default `constantSchedule(1e-3)`. Indexed by optimizer update, so it resumes with the checkpoint. */
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

/** The counters a checkpoint restores. */
export interface TrainerState {
  /** Completed epochs. */
  epoch: number;
  /** Optimizer updates applied. */
  step: number;
  /** The shuffling RNG's state. */
  randomState: number;
}

/** What {@link Trainer.fit} resolves to. */
export interface FitResult {
  /** One entry per epoch run: `{ epoch, loss, ... }`. */
  history: (EpochLogs & { epoch: number })[];
  /** Whether a callback (e.g. early stopping) stopped the run. */
  stoppedEarly: boolean;
}
