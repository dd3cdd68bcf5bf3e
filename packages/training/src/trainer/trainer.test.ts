import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { blobs, layersMlp, mlp, readWeights } from '../__fixtures__/tiny-problem';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { tensorAccuracy } from '../metrics/tensor-accuracy';
import { adam } from '../optimizers/adam';
import { sgd } from '../optimizers/sgd';
import { constantSchedule } from '../schedules/constant-schedule';
import type { Batch } from '../data/training-data';
import { fit } from './fit';
import { NonFiniteError } from './non-finite-error';
import { fromVariables } from './trainable-model';
import { Trainer } from './trainer';
import type { TrainerConfig } from './trainer-types';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const loss = (labels: tf.Tensor, logits: tf.Tensor) => sparseCategoricalCrossEntropy(labels, logits);
const data = blobs(96);

function trainer(overrides: Partial<TrainerConfig> = {}) {
  return new Trainer({ model: mlp(), loss, optimizer: adam(), schedule: constantSchedule(0.05), metrics: { accuracy: tensorAccuracy }, ...overrides });
}

async function stepLosses(instance: Trainer, trainingData: Parameters<Trainer['fit']>[0], options: Partial<Parameters<Trainer['fit']>[1]> = {}) {
  const losses: number[] = [];
  await instance.fit(trainingData, { epochs: 3, batchSize: 16, ...options, callbacks: [{ onBatchEnd: (logs) => void losses.push(logs.loss) }] });
  return losses;
}

describe('Trainer.fit', () => {
  it('learns the blobs with a function of variables and with a LayersModel, leaking nothing', async () => {
    const functional = trainer();
    const { history } = await functional.fit(data, { epochs: 15, batchSize: 16, validationSplit: 0.25 });
    expect(history).toHaveLength(15);
    expect(history[14]!.loss).toBeLessThan(history[0]!.loss! / 2);
    expect(history[14]!.val_accuracy).toBeGreaterThanOrEqual(0.9);
    const layered = trainer({ model: layersMlp() });
    const validationData = blobs(60, 9);
    const result = await layered.fit(data, { epochs: 15, batchSize: 16, validationData });
    expect(result.history[14]!.val_accuracy).toBeGreaterThanOrEqual(0.9);
    // Once optimizer slots (and tfjs-layers' caches) exist, more epochs add no tensors.
    const before = tf.memory().numTensors;
    await functional.fit(data, { epochs: 17, batchSize: 16, validationSplit: 0.25 });
    await layered.fit(data, { epochs: 17, batchSize: 16, validationData });
    expect(tf.memory().numTensors).toBe(before);
    functional.optimizer.dispose();
    layered.optimizer.dispose();
  });

  it('is deterministic: the same seed gives identical losses, another seed different ones', async () => {
    const first = await stepLosses(trainer({ seed: 5 }), data);
    const again = await stepLosses(trainer({ seed: 5 }), data);
    const other = await stepLosses(trainer({ seed: 6 }), data);
    expect(first).toHaveLength(18);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('trains the same from arrays, a generator and a tf.data dataset (unshuffled)', async () => {
    const fromArrays = await stepLosses(trainer(), data, { shuffle: false });
    const batches = (): Batch[] =>
      [0, 16, 32, 48, 64, 80].map((start) => ({ xs: tf.tensor2d(data.x.slice(start, start + 16)), ys: tf.tensor1d(data.y.slice(start, start + 16)) }));
    const fromGenerator = await stepLosses(trainer(), () => batches()[Symbol.iterator]());
    const dataset = tf.data.zip({ xs: tf.data.array(data.x), ys: tf.data.array(data.y) }).batch(16) as unknown as tf.data.Dataset<Batch>;
    const fromDataset = await stepLosses(trainer(), dataset);
    expect(fromGenerator).toEqual(fromArrays);
    for (const [index, value] of fromDataset.entries()) expect(value).toBeCloseTo(fromArrays[index]!, 6);
  });

  it('gradient accumulation: 2 batches of 8 make the same update as 1 batch of 16', async () => {
    const accumulated = trainer({ optimizer: sgd(), accumulationSteps: 2 });
    const whole = trainer({ optimizer: sgd() });
    await accumulated.fit(data, { epochs: 1, batchSize: 8, shuffle: false });
    await whole.fit(data, { epochs: 1, batchSize: 16, shuffle: false });
    expect(accumulated.state.step).toBe(6);
    expect(whole.state.step).toBe(6);
    const [a, b] = [await readWeights(accumulated.model), await readWeights(whole.model)];
    for (const [index, values] of a.entries()) await expectClose(values, b[index]!, { rtol: 1e-4, atol: 1e-6 });
  });

  it('clips by global norm: an SGD step moves the weights by exactly lr·clipNorm when the gradient is larger', async () => {
    const clipped = trainer({ optimizer: sgd(), schedule: constantSchedule(0.1), clipNorm: 0.01 });
    const before = (await readWeights(clipped.model)).flat();
    await clipped.fit({ x: data.x.slice(0, 16), y: data.y.slice(0, 16) }, { epochs: 1, batchSize: 16 });
    const after = (await readWeights(clipped.model)).flat();
    const moved = Math.sqrt(after.reduce((sum, value, index) => sum + (value - before[index]!) ** 2, 0));
    expect(moved).toBeCloseTo(0.1 * 0.01, 6);
  });

  it('evaluate and predict agree with the last validation numbers', async () => {
    const instance = trainer();
    const validation = blobs(30, 4);
    const { history } = await instance.fit(data, { epochs: 2, batchSize: 16, validationData: validation });
    const evaluated = await instance.evaluate(validation, { batchSize: 7 });
    expect(evaluated.loss).toBeCloseTo(history[1]!.val_loss!, 5);
    expect(evaluated.accuracy).toBeCloseTo(history[1]!.val_accuracy!, 10);
    const predictions = await instance.predict(validation.x, { batchSize: 7 });
    expect(predictions.shape).toEqual([30, 3]);
    expect(await tensorAccuracy(tf.tensor1d(validation.y), predictions)).toBeCloseTo(evaluated.accuracy!, 10);
    predictions.dispose();
  });
});

describe('fit()', () => {
  it('is new Trainer(config).fit(...) in one call', async () => {
    const config = { model: mlp(), loss, optimizer: adam(), schedule: constantSchedule(0.05), seed: 2 };
    const { history, trainer: trained } = await fit(config, data, { epochs: 2, batchSize: 16 });
    const reference = await new Trainer({ ...config, model: mlp(), optimizer: adam() }).fit(data, { epochs: 2, batchSize: 16 });
    expect(history).toEqual(reference.history);
    expect(trained.state.epoch).toBe(2);
  });
});

describe('sequence labels', () => {
  it('exempt padId from the range check and name other out-of-range ids', async () => {
    // A per-token classifier: (batch, time, 2) features -> (batch, time, 4) logits.
    const weight = tf.tidy(() => tf.variable(tf.randomNormal([2, 4], 0, 1, 'float32', 8)));
    const tagger = fromVariables({ weight }, (inputs) =>
      tf.tidy(() => inputs.reshape([-1, 2]).matMul(weight).reshape([inputs.shape[0]!, inputs.shape[1]!, 4])), // (batch·time, 2) -> (batch, time, 4)
    );
    const x = tf.randomNormal([6, 5, 2], 0, 1, 'float32', 9);
    const sequenceTrainer = () =>
      new Trainer({ model: tagger, loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits, { padId: -1 }), padId: -1 });
    const labels = Array.from({ length: 6 }, (_, row) => Array.from({ length: 5 }, (_, time) => (time > row ? -1 : (row + time) % 4)));
    const { history } = await sequenceTrainer().fit({ x, y: labels }, { epochs: 1, batchSize: 3 });
    expect(Number.isFinite(history[0]!.loss)).toBe(true);
    labels[2]![1] = 4;
    await expect(sequenceTrainer().fit({ x, y: labels }, { epochs: 1, batchSize: 3 })).rejects.toThrow(
      'label 4 at flat index 11 of y is out of range: the model outputs 4 classes, so labels must be integers in [0, 3] or the padId -1',
    );
    tf.dispose([weight, x]);
  });
});

describe('NaN/Inf guard', () => {
  it('stops before the bad update, naming step and batch, with the last good weights kept', async () => {
    const instance = trainer({ optimizer: sgd(), schedule: constantSchedule(0.1) });
    const poisoned = { x: data.x.map((row, index) => (index === 37 ? [NaN, 0] : row)), y: data.y };
    let lastGood: number[][] = [];
    const error = await instance
      .fit(poisoned, { epochs: 1, batchSize: 16, shuffle: false, callbacks: [{ onBatchEnd: async () => void (lastGood = await readWeights(instance.model)) }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as Error).message).toBe(
      'loss is NaN at step 2 (epoch 0, batch 2); training stopped before that update, so the weights are the last good ones (after 2 updates)',
    );
    expect(await readWeights(instance.model)).toEqual(lastGood);
    expect(lastGood.flat().every(Number.isFinite)).toBe(true);
  });

  it('catches an infinite gradient norm too', async () => {
    const explode = (labels: tf.Tensor, logits: tf.Tensor) => tf.tidy(() => tf.mul(loss(labels, logits), 1e38).mul(1e38).div(1e38) as tf.Scalar);
    const error = await trainer({ loss: explode }).fit(data, { epochs: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonFiniteError);
  });
});

describe('bad input names the values', () => {
  const fit = (options: Partial<Parameters<Trainer['fit']>[1]>, trainingData: Parameters<Trainer['fit']>[0] = data) =>
    trainer().fit(trainingData, { epochs: 1, ...options });

  it('labels out of range for the model output', async () => {
    await expect(fit({}, { x: data.x, y: data.y.map((label, index) => (index === 5 ? 7 : label)) })).rejects.toThrow(
      'label 7 at flat index 5 of y is out of range: the model outputs 3 classes, so labels must be integers in [0, 2]',
    );
    const oneHot = (classes: number) => data.y.map((label) => Array.from({ length: classes }, (_, index) => (index === label ? 1 : 0)));
    await expect(fit({}, { x: data.x, y: oneHot(4) })).rejects.toThrow(
      'y has shape [96,4]: one-hot or probability labels need 3 values on the last axis, as the model outputs 3 classes',
    );
    await expect(fit({ validationData: { x: data.x, y: oneHot(2) } }, { x: data.x, y: oneHot(3) })).rejects.toThrow('the validation y has shape [96,2]');
  });

  it('mismatched example counts and batch sizes', async () => {
    await expect(fit({}, { x: data.x, y: data.y.slice(1) })).rejects.toThrow('x has 96 examples but y has 95: the first axes must match');
    const uneven = () => [{ xs: tf.zeros([4, 2]), ys: tf.zeros([3]) }][Symbol.iterator]();
    await expect(fit({}, uneven)).rejects.toThrow('batch 0 of epoch 0: xs has 4 examples (shape [4,2]) but ys has 3 (shape [3])');
  });

  it('empty data', async () => {
    await expect(fit({}, { x: tf.zeros([0, 2]), y: tf.zeros([0]) })).rejects.toThrow('the training data is empty: x and y have 0 examples');
    await expect(fit({}, () => [][Symbol.iterator]())).rejects.toThrow('the training data is empty: epoch 0 produced 0 batches');
  });

  it('streamed batches (generators, tf.data): labels out of range, mismatched or empty batches, empty data', async () => {
    const rows = (start: number, count: number) => data.x.slice(start, start + count);
    const generator = (labelAt2 = 5) => () =>
      [0, 8, 16].map((start) => ({ xs: tf.tensor2d(rows(start, 8)), ys: tf.tensor1d(data.y.slice(start, start + 8).map((label, index) => (start === 16 && index === 3 ? labelAt2 : label))) }))[Symbol.iterator]();
    await expect(fit({}, generator())).rejects.toThrow(
      'label 5 at flat index 3 of ys in batch 2 of epoch 0 is out of range: the model outputs 3 classes, so labels must be integers in [0, 2]',
    );
    await expect(fit({}, generator(1.5))).rejects.toThrow('label 1.5 at flat index 3 of ys in batch 2 of epoch 0 is out of range');
    const labels = data.y.map((label, index) => (index === 21 ? -1 : label));
    const dataset = tf.data.zip({ xs: tf.data.array(data.x), ys: tf.data.array(labels) }).batch(16) as unknown as tf.data.Dataset<Batch>;
    await expect(fit({}, dataset)).rejects.toThrow('label -1 at flat index 5 of ys in batch 1 of epoch 0 is out of range');
    await expect(fit({ validationData: generator() }, data)).rejects.toThrow('label 5 at flat index 3 of ys in evaluation batch 2 is out of range');

    const uneven = tf.data.zip({ xs: tf.data.array(data.x).batch(4), ys: tf.data.array(data.y).batch(3) }) as unknown as tf.data.Dataset<Batch>;
    await expect(fit({}, uneven)).rejects.toThrow('batch 0 of epoch 0: xs has 4 examples (shape [4,2]) but ys has 3 (shape [3])');
    await expect(fit({}, () => [{ xs: tf.zeros([0, 2]), ys: tf.zeros([0]) }][Symbol.iterator]())).rejects.toThrow('batch 0 of epoch 0 is empty: xs has shape [0,2]');
    await expect(fit({}, (() => [{ inputs: tf.zeros([2, 2]), labels: tf.zeros([2]) }][Symbol.iterator]()) as never)).rejects.toThrow(
      'batch 0 of epoch 0 must be { xs: tf.Tensor | { [name]: tf.Tensor }, ys: tf.Tensor }, got { inputs, labels }',
    );
    const empty = tf.data.zip({ xs: tf.data.array<number[]>([]), ys: tf.data.array<number>([]) }).batch(16) as unknown as tf.data.Dataset<Batch>;
    await expect(fit({}, empty)).rejects.toThrow('the training data is empty: epoch 0 produced 0 batches');
    await expect(fit({ validationData: () => [][Symbol.iterator]() }, data)).rejects.toThrow('the evaluation data is empty: 0 examples');

    // A refused batch leaks nothing: a trainer whose slots exist fails on batch 2 and frees it.
    const instance = trainer();
    await instance.fit(data, { epochs: 1 });
    const before = tf.memory().numTensors;
    await expect(instance.fit(generator(), { epochs: 2 })).rejects.toThrow('of ys in batch 2 of epoch 1 is out of range');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validation split outside (0, 1) and other settings', async () => {
    await expect(fit({ validationSplit: 1.5 })).rejects.toThrow('validationSplit must be in (0, 1), got 1.5');
    await expect(fit({ validationSplit: 0 })).rejects.toThrow('validationSplit must be in (0, 1), got 0');
    await expect(fit({ epochs: 0 })).rejects.toThrow('epochs must be a positive integer, got 0');
    await expect(fit({ batchSize: 2.5 })).rejects.toThrow('batchSize must be a positive integer, got 2.5');
    // evaluate and predict used to loop forever on a batch size of 0.
    const model = trainer();
    await expect(model.evaluate(data, { batchSize: 0 })).rejects.toThrow('Trainer.evaluate: batchSize must be a positive integer; got 0');
    await expect(model.predict(data.x, { batchSize: -1 })).rejects.toThrow('Trainer.predict: batchSize must be a positive integer; got -1');
    await expect(model.predict(data.x, { batchSize: NaN })).rejects.toThrow('Trainer.predict: batchSize must be a positive integer; got NaN');
    expect(() => trainer({ accumulationSteps: 0 })).toThrow('accumulationSteps must be a positive integer, got 0');
  });
});
