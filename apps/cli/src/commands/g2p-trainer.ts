import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { IdPair, ResolvedSeq2SeqConfig, Seq2Seq } from '@heed/models';
import { lengthBatches } from '@heed/models';
import { sequenceLoss, type Batch, type BatchGenerator, type DataParallelOptions, type LossFunction, type TrainableModel } from '@heed/training';

/** What a G2P batch feeds the model: source ids `(batch, S)` and the whole target `(batch, T)` (bos … eos) for teacher forcing. */
export type Seq2SeqInputs = { source: tf.Tensor2D; target: tf.Tensor2D };

/**
 * A {@link Seq2Seq} as @heed/training's `TrainableModel` on named inputs: `forward({ source,
 * target })` is the teacher-forced pass, logits `(batch, T − 1, V)` predicting `target[:, 1:]`.
 * Weights are named by role, the model's own names (`encoder/forward/kernel`,
 * `decoder/attention/kernel`), so a checkpoint loads into a fresh model of the same config
 * (checkpoints of heed ≤ 0.1 named them `0`, `1`, …; `Trainer.load` reads those by position).
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: seq2seqTrainable(model), loss: seq2seqLoss(model, 0.1) });
 * trainer.model.weights[0].name; // 'encoder/embedding'
 * ```
 */
export function seq2seqTrainable(model: Seq2Seq): TrainableModel<Seq2SeqInputs> {
  const weights = [...model.weights.variables].map(([name, variable]) => ({ name, variable, trainable: true, displayName: name }));
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

/**
 * What a `heed train g2p` replica builds its copy of the model from: the config (the weights
 * come from replica 0 before the first step) and the loss's label smoothing.
 *
 * @example
 * ```ts
 * const options: G2PReplicaOptions = { config: model.getConfig(), labelSmoothing: 0.1 };
 * ```
 */
export interface G2PReplicaOptions {
  config: ResolvedSeq2SeqConfig;
  labelSmoothing: number;
}

/**
 * Where the replica entry of `heed train g2p --workers N` lives: next to the bundle
 * (`dist/g2p-replica.js`), or in `src/` under tsx (tests).
 *
 * @example
 * ```ts
 * const replicas = await DataParallelReplicas.start({ replicas: 2, ...g2pReplicaEntry(), options });
 * ```
 */
export function g2pReplicaEntry(): Pick<DataParallelOptions, 'entry' | 'execArgv'> {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { entry: fileURLToPath(new URL('../g2p-replica.ts', here)), execArgv: ['--import', 'tsx'] };
  return { entry: fileURLToPath(new URL('./g2p-replica.js', here)), execArgv: [] };
}
