import * as tf from '@tensorflow/tfjs';
import { checkPositiveInteger } from '@heed/backends';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoints/checkpoint-artifacts';
import { checkCheckpointMatches } from '../checkpoints/check-checkpoint-matches';
import { renameLegacyPositional } from '../checkpoints/legacy-positional-names';
import { countExamples, mapInputs, toInputTensors, type ModelInputs } from '../data/model-inputs';
import { toBatchSources, type Batch, type BatchSource, type TrainingData } from '../data/training-data';
import { adam } from '../optimizers/adam';
import { clipByGlobalNorm, globalGradientNorm } from '../optimizers/clip-by-global-norm';
import type { TrainingOptimizer } from '../optimizers/training-optimizer';
import { constantSchedule } from '../schedules/constant-schedule';
import type { LearningRateSchedule } from '../schedules/learning-rate-schedule';
import { fromTfjsOptimizer } from '../optimizers/tfjs-optimizer';
import { checkBatchShapes, LabelRangeCheck } from './check-label-range';
import { NonFiniteError } from './non-finite-error';
import { batchSeed, withSeededRandom } from './seeded-dropout';
import { SeededRandom } from './seeded-random';
import { toTrainableModel, type ModelWeight, type TrainableModel } from './trainable-model';
import type { CallbackContext } from './trainer-callback';
import type { EpochLogs, FitOptions, FitResult, LossFunction, MetricFunction, TrainerConfig, TrainerState } from './trainer-types';

/**
 * A custom training loop for any tfjs model or function of variables: seeded shuffled
 * mini-batches, epochs, validation, gradient clipping and accumulation, learning-rate schedules,
 * callbacks, a NaN/Inf guard, and checkpoints that resume exactly.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({
 *   model,                                                    // a tf.LayersModel
 *   loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits),
 *   optimizer: adam({ weightDecay: 0.01 }),
 *   schedule: warmupCosineSchedule({ peakLearningRate: 1e-3, warmupSteps: 100, totalSteps: 2000 }),
 *   clipNorm: 1,
 *   metrics: { accuracy: tensorAccuracy },
 *   seed: 42,
 * });
 * const { history } = await trainer.fit({ x, y }, { epochs: 10, batchSize: 32, validationSplit: 0.1 });
 * await trainer.save('file://./checkpoints/run-1');
 *
 * // tfjs's own optimizers work as they are (their slots are checkpointed too):
 * const withTfjs = new Trainer({ model, loss, optimizer: tf.train.momentum(0.05, 0.9) });
 * ```
 */
export class Trainer {
  readonly model: TrainableModel<ModelInputs>;
  readonly optimizer: TrainingOptimizer;
  readonly schedule: LearningRateSchedule;
  private readonly loss: LossFunction;
  private readonly metrics: Readonly<Record<string, MetricFunction>>;
  private readonly random: SeededRandom;
  private readonly trainable: ModelWeight[];
  private epoch = 0;
  /** Where the unfinished epoch `epoch` stands (batch 0: at its start). */
  private position: { batch: number; epochRandomState: number; lossSum: number; batching?: TrainerState['epochBatching'] };
  private accumulated: tf.NamedTensorMap | undefined;
  private accumulatedBatches = 0;
  /** The optimizer update count when the replicas last received the weights (-1: they must get them). */
  private replicaWeightsAt = -1;

  constructor(readonly config: TrainerConfig) {
    this.model = toTrainableModel(config.model);
    this.loss = config.loss;
    const { optimizer } = config;
    // tf.Optimizer's instanceof is duck-typed (it reads `.minimize`), so rule out undefined first.
    this.optimizer = optimizer === undefined ? adam() : optimizer instanceof tf.Optimizer ? fromTfjsOptimizer(optimizer) : optimizer;
    this.schedule = config.schedule ?? constantSchedule(this.optimizer.learningRate ?? 1e-3);
    this.metrics = config.metrics ?? {};
    this.random = new SeededRandom(config.seed ?? 0);
    this.position = { batch: 0, epochRandomState: this.random.state, lossSum: 0 };
    this.trainable = this.model.weights.filter((weight) => weight.trainable);
    const accumulation = config.accumulationSteps ?? 1;
    if (!(Number.isInteger(accumulation) && accumulation >= 1)) throw new RangeError(`accumulationSteps must be a positive integer, got ${accumulation}`);
    if (config.clipNorm !== undefined && !(config.clipNorm > 0)) throw new RangeError(`clipNorm must be a positive number, got ${config.clipNorm}`);
  }

  /** Completed epochs, optimizer updates, RNG state and the position in an unfinished epoch (what a checkpoint restores). */
  get state(): TrainerState {
    const { batch, epochRandomState, lossSum, batching } = this.position;
    return {
      epoch: this.epoch,
      step: this.optimizer.updates,
      randomState: this.random.state,
      batch,
      epochRandomState,
      epochLossSum: lossSum,
      accumulatedBatches: this.accumulatedBatches,
      ...(batching ? { epochBatching: { ...batching } } : {}),
    };
  }

  /**
   * Trains until `options.epochs` epochs are complete, resuming after restored ones; after a
   * mid-epoch checkpoint it redraws that epoch's shuffle from the saved RNG state and trains
   * only the batches that were left, so the run matches the uninterrupted one.
   */
  async fit(data: TrainingData, options: FitOptions): Promise<FitResult> {
    const { epochs, batchSize = 32, shuffle = true } = options;
    if (!(Number.isInteger(epochs) && epochs >= 1)) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const sources = toBatchSources(data, options.validationSplit);
    const validation = sources.validation ?? (options.validationData ? toBatchSources(options.validationData).train : undefined);
    const callbacks = [...(this.config.callbacks ?? []), ...(options.callbacks ?? [])];
    let stopRequested = false;
    const size = sources.train.size;
    const context: CallbackContext = {
      trainer: this,
      epochs,
      batchesPerEpoch: size === undefined ? undefined : Math.ceil(size / batchSize),
      stop: () => {
        stopRequested = true;
      },
    };
    const history: FitResult['history'] = [];
    const labels = new LabelRangeCheck(this.model, this.config.padId);
    const batching = size === undefined ? undefined : { batchSize, examples: size, shuffle };
    let failure: unknown;
    try {
      this.checkResumable(batching);
      for (const [source, name] of [[sources.train, 'y'], [validation, 'the validation y']] as const) {
        if (source?.tensors) await labels.check(source.tensors.x, source.tensors.y, name);
      }
      for (const callback of callbacks) await callback.onTrainBegin?.(context);
      for (let epoch = this.epoch; epoch < epochs && !stopRequested; epoch++) {
        const position = this.position;
        if (position.batch > 0) this.random.state = position.epochRandomState; // mid-epoch resume: redraw the same order
        else this.position = { batch: 0, epochRandomState: this.random.state, lossSum: 0, ...(batching ? { batching } : {}) };
        for (const callback of callbacks) await callback.onEpochBegin?.(epoch, context);
        const order = shuffle && size !== undefined ? this.random.permutation(size) : undefined;
        for await (const batch of sources.train.batches(batchSize, order, this.position.batch)) {
          const batchIndex = this.position.batch;
          const loss = await this.trainBatch(batch, epoch, batchIndex, size === undefined ? labels : undefined);
          this.position.lossSum += loss;
          this.position.batch += 1;
          const logs = { epoch, batch: batchIndex, step: this.optimizer.updates, loss, learningRate: this.currentLearningRate() };
          for (const callback of callbacks) await callback.onBatchEnd?.(logs, context);
        }
        const batches = this.position.batch;
        if (batches === 0) throw new RangeError(`the training data is empty: epoch ${epoch} produced 0 batches`);
        if (this.accumulatedBatches > 0) await this.applyAccumulated(epoch, batches - 1); // a partial group at the epoch's end
        const logs: EpochLogs = { loss: this.position.lossSum / batches, learningRate: this.currentLearningRate() };
        if (validation) {
          for (const [name, value] of Object.entries(await this.evaluateSource(validation, batchSize, labels))) logs[`val_${name}`] = value;
        }
        this.epoch = epoch + 1;
        this.position = { batch: 0, epochRandomState: this.random.state, lossSum: 0 };
        history.push({ epoch, ...logs });
        for (const callback of callbacks) await callback.onEpochEnd?.(epoch, logs, context);
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // A partial gradient-accumulation group of an unfinished epoch stays: it is part of the state a save records.
      sources.train.dispose();
      validation?.dispose();
      for (const callback of callbacks) await callback.onTrainEnd?.(context, failure);
    }
    return { history, stoppedEarly: stopRequested };
  }

  /** Loss and metrics over `data`, in order, without training (`training: false`). */
  async evaluate(data: TrainingData, options: { batchSize?: number } = {}): Promise<Record<string, number>> {
    const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'Trainer.evaluate: batchSize');
    const source = toBatchSources(data).train;
    try {
      const labels = new LabelRangeCheck(this.model, this.config.padId);
      if (source.tensors) await labels.check(source.tensors.x, source.tensors.y, 'y');
      return await this.evaluateSource(source, batchSize, labels);
    } finally {
      source.dispose();
    }
  }

  /** The model's outputs for `inputs` (one tensor or named tensors, as in training), batched; the caller disposes the result. */
  async predict(inputs: tf.Tensor | tf.TensorLike | Readonly<Record<string, tf.Tensor | tf.TensorLike>>, options: { batchSize?: number } = {}): Promise<tf.Tensor> {
    const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'Trainer.predict: batchSize');
    const owned: tf.Tensor[] = [];
    const x = toInputTensors(inputs, owned);
    try {
      const examples = countExamples(x);
      const outputs: tf.Tensor[] = [];
      for (let start = 0; start < examples; start += batchSize) {
        const count = Math.min(batchSize, examples - start);
        outputs.push(tf.tidy(() => this.model.forward(mapInputs(x, (tensor) => tensor.slice(start, count)), false)));
      }
      if (outputs.length === 0) throw new RangeError('predict: inputs have 0 examples');
      const result = outputs.length === 1 ? outputs[0]! : tf.concat(outputs);
      if (outputs.length > 1) tf.dispose(outputs);
      return result;
    } finally {
      tf.dispose(owned);
    }
  }

  /**
   * Saves weights, optimizer slots and counters, the epoch, the RNG state and, between epochs'
   * ends, the position in the epoch (batches done, the epoch's RNG state, its loss so far and any
   * gradients summed for accumulation). `destination` is a `tf.io.IOHandler` or a URL: `file://dir`
   * (Node, atomic) or any registered scheme such as `indexeddb://name` (saved with a pointer swap).
   */
  async save(destination: string | tf.io.IOHandler): Promise<void> {
    const handler = await resolveHandler(destination);
    const artifacts = await encodeCheckpoint({
      modelWeights: Object.fromEntries(this.model.weights.map((weight) => [weight.name, weight.variable])),
      displayNames: Object.fromEntries(this.model.weights.map((weight) => [weight.name, weight.displayName])),
      optimizerSlots: await this.optimizer.slots(this.trainable),
      ...(this.accumulated ? { accumulatedGradients: this.accumulated } : {}),
      optimizerUpdates: this.optimizer.updates,
      optimizerConfig: this.optimizer.config,
      scheduleConfig: this.schedule.config,
      state: this.state,
    });
    await handler.save!(artifacts);
  }

  /**
   * Restores what {@link Trainer.save} wrote; throws, changing nothing, if it was saved from a
   * different architecture. Checkpoints of heed ≤ 0.1, whose weights are named by position
   * (`"0"`, `"0:kernel"`), load into the same architecture by position.
   */
  async load(source: string | tf.io.IOHandler): Promise<void> {
    const handler = await resolveHandler(source);
    const where = typeof source === 'string' ? source.replace(/^file:\/\//, '') : 'directory' in handler ? String(handler.directory) : undefined;
    const contents = renameLegacyPositional(decodeCheckpoint(await handler.load!(), where === undefined ? {} : { where }), this.model.weights);
    const accumulated = contents.accumulatedGradients ?? {};
    try {
      checkCheckpointMatches(contents, this.model.weights, this.optimizer.config);
      const { state } = contents;
      const accumulatedNames = Object.keys(accumulated);
      const trainableNames = this.trainable.map((weight) => weight.name);
      if (state.accumulatedBatches > 0 && accumulatedNames.join() !== trainableNames.join()) {
        throw new Error(`checkpoint's accumulated gradients are for [${accumulatedNames.join(', ')}] but the trainable weights are [${trainableNames.join(', ')}]`);
      }
      await this.optimizer.loadState(this.trainable, contents.optimizerSlots, contents.optimizerUpdates);
      for (const weight of this.model.weights) weight.variable.assign(contents.modelWeights[weight.name]!);
      this.replicaWeightsAt = -1; // the replicas' copies are stale
      this.epoch = state.epoch;
      this.random.state = state.randomState;
      this.position = { batch: state.batch, epochRandomState: state.epochRandomState, lossSum: state.epochLossSum, ...(state.epochBatching ? { batching: state.epochBatching } : {}) };
      this.disposeAccumulated();
      if (state.accumulatedBatches > 0) {
        this.accumulated = accumulated; // kept: the trainer owns them now
        this.accumulatedBatches = state.accumulatedBatches;
      }
    } finally {
      tf.dispose([contents.modelWeights, contents.optimizerSlots]);
      if (this.accumulated !== accumulated) tf.dispose(accumulated);
    }
  }

  /** Throws unless a mid-epoch position (restored or left by a failed fit) can resume with this batching. */
  private checkResumable(batching: TrainerState['epochBatching']): void {
    const { batch, batching: saved } = this.position;
    const describe = (value: typeof batching) => (value ? `batchSize ${value.batchSize}, ${value.examples} examples, shuffle ${value.shuffle}` : 'streamed batches');
    if (batch > 0 && describe(saved) !== describe(batching)) {
      throw new RangeError(
        `cannot resume epoch ${this.epoch} after batch ${batch - 1}: it was batched with ${describe(saved)} but this fit has ${describe(batching)}; resume with the same data and options`,
      );
    }
  }

  private currentLearningRate(): number {
    return this.schedule.at(Math.max(0, this.optimizer.updates - 1));
  }

  /** `labels`: check this batch's labels (streamed data; in-memory labels are checked once, up front). */
  private async trainBatch(batch: Batch, epoch: number, batchIndex: number, labels: LabelRangeCheck | undefined): Promise<number> {
    const { xs, ys } = batch;
    try {
      const where = `batch ${batchIndex} of epoch ${epoch}`;
      checkBatchShapes(batch, where);
      await labels?.check(xs, ys, `ys in ${where}`);
      // Dropout masks drawn from (seed, epoch, batch): reproducible, and equal after a resume.
      const seed = this.config.deterministicDropout === false ? undefined : batchSeed(this.config.seed ?? 0, epoch, batchIndex);
      const { loss, named } = await this.batchGradients(xs, ys, seed);
      if (this.config.nanGuard !== false && !Number.isFinite(loss)) {
        tf.dispose(named);
        throw new NonFiniteError('loss', loss, this.optimizer.updates, epoch, batchIndex);
      }
      if (!this.accumulated) this.accumulated = named;
      else {
        const previous = this.accumulated;
        this.accumulated = tf.tidy(() => Object.fromEntries(Object.entries(named).map(([name, gradient]) => [name, tf.add(previous[name]!, gradient)])));
        tf.dispose([previous, named]);
      }
      this.accumulatedBatches += 1;
      if (this.accumulatedBatches === (this.config.accumulationSteps ?? 1)) await this.applyAccumulated(epoch, batchIndex);
      return loss;
    } finally {
      tf.dispose([xs, ys]);
    }
  }

  /**
   * The batch's loss and the gradient of every trainable weight (by weight name): here, or, with
   * `config.replicas`, averaged over the replicas' shards of the batch.
   */
  private async batchGradients(xs: Batch['xs'], ys: tf.Tensor, seed: number | undefined): Promise<{ loss: number; named: tf.NamedTensorMap }> {
    const { replicas } = this.config;
    if (replicas) {
      const sendWeights = this.replicaWeightsAt !== this.optimizer.updates;
      const { loss, grads } = await replicas.gradients({ model: this.model, loss: this.loss, inputs: xs, labels: ys, padId: this.config.padId, seed, sendWeights });
      this.replicaWeightsAt = this.optimizer.updates;
      return { loss, named: grads };
    }
    const variables = this.trainable.map((weight) => weight.variable);
    const forward = () => tf.variableGrads(() => this.loss(ys, this.model.forward(xs, true)), variables);
    const { value, grads } = seed === undefined ? forward() : withSeededRandom(seed, forward);
    const [loss] = await value.data();
    value.dispose();
    return { loss: loss!, named: Object.fromEntries(this.trainable.map((weight) => [weight.name, grads[weight.variable.name]!])) };
  }

  private async applyAccumulated(epoch: number, batchIndex: number): Promise<void> {
    const count = this.accumulatedBatches;
    const summed = this.accumulated!;
    this.accumulated = undefined;
    this.accumulatedBatches = 0;
    const averaged = count === 1 ? summed : tf.tidy(() => Object.fromEntries(Object.entries(summed).map(([name, gradient]) => [name, tf.div(gradient, count)])));
    const owned: tf.TensorContainer[] = [summed, averaged];
    try {
      let gradients = averaged;
      let norm: tf.Scalar | undefined;
      if (this.config.clipNorm !== undefined) {
        const clipped = clipByGlobalNorm(averaged, this.config.clipNorm);
        gradients = clipped.clipped;
        norm = clipped.globalNorm;
        owned.push(clipped.clipped, norm);
      } else if (this.config.nanGuard !== false) {
        norm = globalGradientNorm(averaged);
        owned.push(norm);
      }
      if (this.config.nanGuard !== false && norm) {
        const [value] = await norm.data();
        if (!Number.isFinite(value)) throw new NonFiniteError('gradient norm', value!, this.optimizer.updates, epoch, batchIndex);
      }
      this.optimizer.applyGradients(this.trainable, gradients, this.schedule.at(this.optimizer.updates));
    } finally {
      tf.dispose(owned);
    }
  }

  private disposeAccumulated(): void {
    if (this.accumulated) tf.dispose(this.accumulated);
    this.accumulated = undefined;
    this.accumulatedBatches = 0;
  }

  private async evaluateSource(source: BatchSource, batchSize: number, check: LabelRangeCheck): Promise<Record<string, number>> {
    const labels: tf.Tensor[] = [];
    const predictions: tf.Tensor[] = [];
    let lossSum = 0;
    let examples = 0;
    try {
      for await (const batch of source.batches(batchSize)) {
        const { xs, ys } = batch;
        if (!source.tensors) {
          const where = `evaluation batch ${labels.length}`;
          try {
            checkBatchShapes(batch, where);
            await check.check(xs, ys, `ys in ${where}`);
          } catch (error) {
            tf.dispose(batch as tf.TensorContainer);
            throw error;
          }
        }
        const output = tf.tidy(() => this.model.forward(xs, false));
        const loss = this.loss(ys, output);
        const count = countExamples(xs);
        lossSum += (await loss.data())[0]! * count;
        examples += count;
        loss.dispose();
        tf.dispose(xs);
        labels.push(ys);
        predictions.push(output);
      }
      if (examples === 0) throw new RangeError('the evaluation data is empty: 0 examples');
      const results: Record<string, number> = { loss: lossSum / examples };
      if (Object.keys(this.metrics).length > 0) {
        const allLabels = tf.concat(labels);
        const allPredictions = tf.concat(predictions);
        try {
          for (const [name, metric] of Object.entries(this.metrics)) results[name] = await metric(allLabels, allPredictions);
        } finally {
          tf.dispose([allLabels, allPredictions]);
        }
      }
      return results;
    } finally {
      tf.dispose([labels, predictions]);
    }
  }
}

async function resolveHandler(target: string | tf.io.IOHandler): Promise<tf.io.IOHandler> {
  if (typeof target !== 'string') return target;
  if (target.startsWith('file://')) return (await import('../checkpoints/file-checkpoint')).fileCheckpoint(target);
  return (await import('../checkpoints/swap-checkpoint')).swapCheckpoint(target);
}
