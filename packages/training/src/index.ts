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

// Metrics
export type { ClassLabels } from './metrics/class-labels';
export { accuracy } from './metrics/accuracy';
export { confusionMatrix } from './metrics/confusion-matrix';
export { precisionRecallF1, type ClassificationReport, type PrecisionRecallF1 } from './metrics/precision-recall-f1';
export { topKAccuracy } from './metrics/top-k-accuracy';
export { tokenAccuracy, type TokenAccuracyOptions } from './metrics/token-accuracy';
export { errorRate, wordErrorRate, characterErrorRate, phonemeErrorRate } from './metrics/error-rate';
