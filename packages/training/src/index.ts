/**
 * @heed/training: a training loop, losses, metrics, schedules, callbacks and checkpoints.
 * @packageDocumentation
 */
export { editDistance } from './edit-distance';

// Losses
export { sparseCategoricalCrossEntropy, type SparseCategoricalCrossEntropyOptions } from './losses/sparse-categorical-cross-entropy';
export { categoricalCrossEntropy, type CategoricalCrossEntropyOptions } from './losses/categorical-cross-entropy';
export { binaryCrossEntropy, type BinaryCrossEntropyOptions } from './losses/binary-cross-entropy';
export { sequenceLoss, type SequenceLossOptions } from './losses/sequence-loss';
export { causalLmLoss, type CausalLmLossOptions } from './losses/causal-lm-loss';
export { perplexity, type PerplexityOptions, type PerplexityResult } from './losses/perplexity';

// Metrics
export type { ClassLabels } from './metrics/class-labels';
export { accuracy } from './metrics/accuracy';
export { confusionMatrix } from './metrics/confusion-matrix';
export { precisionRecallF1, type ClassificationReport, type PrecisionRecallF1 } from './metrics/precision-recall-f1';
export { topKAccuracy } from './metrics/top-k-accuracy';
export { tokenAccuracy, type TokenAccuracyOptions } from './metrics/token-accuracy';
export { errorRate, wordErrorRate, characterErrorRate, phonemeErrorRate } from './metrics/error-rate';

// Learning-rate schedules
export type { LearningRateSchedule } from './schedules/learning-rate-schedule';
export { constantSchedule } from './schedules/constant-schedule';
export { inverseSqrtSchedule, type InverseSqrtScheduleConfig } from './schedules/inverse-sqrt-schedule';
export { warmupCosineSchedule, type WarmupCosineScheduleConfig } from './schedules/warmup-cosine-schedule';
export { stepDecaySchedule, type StepDecayScheduleConfig } from './schedules/step-decay-schedule';
export { linearScheduleWithWarmup, type LinearScheduleWithWarmupConfig } from './schedules/linear-schedule-with-warmup';
export { budgetCosineSchedule, type BudgetCosineScheduleConfig } from './schedules/budget-cosine-schedule';

// Optimizers and gradient clipping
export type { NamedVariable, TrainingOptimizer } from './optimizers/training-optimizer';
export { adam, type AdamConfig } from './optimizers/adam';
export { adamw, isNoDecayParameter } from './optimizers/adamw';
export { sgd, type SgdConfig } from './optimizers/sgd';
export { fromTfjsOptimizer } from './optimizers/tfjs-optimizer';
export { clipByGlobalNorm, globalGradientNorm } from './optimizers/clip-by-global-norm';

// Trainer
export { Trainer } from './trainer/trainer';
export { fit } from './trainer/fit';
export type { TrainerConfig, FitOptions, FitResult, BatchLogs, EpochLogs, TrainerState, LossFunction, MetricFunction } from './trainer/trainer-types';
export type { TrainerCallback, CallbackContext } from './trainer/trainer-callback';
export { fromLayersModel, fromVariables, fromHfModel, type TrainableModel, type ModelWeight, type HfModelLike } from './trainer/trainable-model';
export type { ModelInputs } from './data/model-inputs';
export { SeededRandom } from './trainer/seeded-random';
export { withSeededRandom } from './trainer/seeded-dropout';
export { NonFiniteError } from './trainer/non-finite-error';
export type { Batch, ArrayData, BatchGenerator, TrainingData } from './data/training-data';
export { groupTexts } from './data/group-texts';
export { tensorAccuracy } from './metrics/tensor-accuracy';
export { tensorF1, type TensorF1Options } from './metrics/tensor-f1';

// Data-parallel training over processes
export { DataParallelReplicas, type DataParallelOptions } from './data-parallel/data-parallel-replicas';
export { runReplica, type ReplicaModel } from './data-parallel/run-replica';
export { averageShards, type ShardGradients } from './data-parallel/average-shards';
export { labelCount, shardGradients } from './data-parallel/shard-gradients';
export { shardRows } from './data-parallel/shard-tensors';

// Checkpoints
export { fileCheckpoint, type CheckpointFileSystem, type FileCheckpointHandler, type FileCheckpointOptions } from './checkpoints/file-checkpoint';
export { swapCheckpoint } from './checkpoints/swap-checkpoint';
export { encodeCheckpoint, decodeCheckpoint, CHECKPOINT_FORMAT, type CheckpointContents, type DecodeCheckpointOptions } from './checkpoints/checkpoint-artifacts';

// Callbacks
export { TrainingHistory } from './callbacks/training-history';
export { earlyStopping, type EarlyStopping, type EarlyStoppingConfig } from './callbacks/early-stopping';
export { checkpointCallback, type CheckpointCallbackConfig } from './callbacks/checkpoint-callback';
export { learningRateLogger } from './callbacks/learning-rate-logger';
export { leakGuardCallback } from './callbacks/leak-guard-callback';
export { progressCallback, terminalProgressBar, type ProgressCallbackConfig, type ProgressEvent, type TerminalProgressBar, type TerminalProgressConfig } from './callbacks/progress-callback';

// Results tables
export { writeResultsRow, type ResultsRowOptions } from './results/write-results-row';

// Compression
export { quantizeWeights, saveQuantizedModel, type QuantizedWeights, type WeightQuantization } from './compression/quantize-weights';
export { toFloat16Bits } from './compression/float16';
