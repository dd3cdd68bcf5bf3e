import * as tf from '@tensorflow/tfjs';
import type { IdPair, Seq2Seq } from '@heed/models';
import { lengthBatches } from '@heed/models';
import { sequenceLoss, type Batch, type BatchGenerator, type LossFunction, type TrainableModel } from '@heed/training';

/** What a G2P batch feeds the model: source ids `(batch, S)` and the whole target `(batch, T)` (bos … eos) for teacher forcing. */
export type Seq2SeqInputs = { source: tf.Tensor2D; target: tf.Tensor2D };

/**
 * A {@link Seq2Seq} as @heed/training's `TrainableModel` on named inputs: `forward({ source,
 * target })` is the teacher-forced pass, logits `(batch, T − 1, V)` predicting `target[:, 1:]`.
 * Weights are named by position (creation order is fixed by the config), so a checkpoint loads into
 * a fresh model of the same config.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: seq2seqTrainable(model), loss: seq2seqLoss(model, 0.1) });
 * ```
 */
export function seq2seqTrainable(model: Seq2Seq): TrainableModel<Seq2SeqInputs> {
  const weights = model.trainableVariables.map((variable, index) => ({ name: String(index), variable, trainable: true, displayName: variable.name }));
  return {
    weights,
    forward: ({ source, target }, training) => model.forward(source, target, training).logits,
  };
}

/**
 * The G2P loss: @heed/training's token-level `sequenceLoss` of the next target token, padding left
 * out, with label smoothing `labelSmoothing`.
 *
 * @example
 * ```ts
 * const loss = seq2seqLoss(model, 0.1); // (labels (batch, T − 1), logits (batch, T − 1, V)) → scalar
 * ```
 */
export function seq2seqLoss(model: Seq2Seq, labelSmoothing: number): LossFunction {
  const padId = model.config.padId;
  return (labels, logits) => sequenceLoss(labels, logits, { padId, labelSmoothing });
}

/** `rows` padded with `padId` to their longest, as an int32 `(rows, longest)` tensor. */
function padded(rows: readonly (readonly number[])[], padId: number): tf.Tensor2D {
  const width = Math.max(...rows.map((row) => row.length));
  const values = new Int32Array(rows.length * width).fill(padId);
  rows.forEach((row, index) => values.set(row, index * width));
  return tf.tensor2d(values, [rows.length, width], 'int32');
}

/**
 * One epoch's length-bucketed G2P batches ({@link lengthBatches} with seed `epoch() + 1`) for
 * `Trainer.fit`: inputs `{ source, target }`, labels `target[:, 1:]`. The epoch is read when the
 * trainer starts it, so a resumed run draws the same batches as the uninterrupted one. Stops early
 * (the epoch ends there) once `stop()` is true, e.g. when the time budget is spent.
 *
 * @example
 * ```ts
 * await trainer.fit(g2pBatches(pairs, 256, 0, () => trainer.state.epoch, () => Date.now() > deadline), { epochs: 10 });
 * ```
 */
export function g2pBatches(pairs: readonly IdPair[], batchSize: number, padId: number, epoch: () => number, stop: () => boolean = () => false): BatchGenerator {
  return function* (): Generator<Batch> {
    for (const batch of lengthBatches(pairs, batchSize, epoch() + 1)) {
      if (stop()) return;
      const labels = batch.target.map((row) => row.slice(1));
      yield { xs: { source: padded(batch.source, padId), target: padded(batch.target, padId) }, ys: padded(labels, padId) };
    }
  };
}
