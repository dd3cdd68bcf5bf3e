import * as tf from '@tensorflow/tfjs';
import { initBackend, TensorLeakError } from '@heed/backends';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, mlp, readWeights } from '../__fixtures__/tiny-problem';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { tensorAccuracy } from '../metrics/tensor-accuracy';
import { sgd } from '../optimizers/sgd';
import { constantSchedule } from '../schedules/constant-schedule';
import { stepDecaySchedule } from '../schedules/step-decay-schedule';
import { NonFiniteError } from '../trainer/non-finite-error';
import { Trainer } from '../trainer/trainer';
import type { CallbackContext } from '../trainer/trainer-callback';
import type { TrainerConfig } from '../trainer/trainer-types';
import { checkpointCallback } from './checkpoint-callback';
import { earlyStopping } from './early-stopping';
import { leakGuardCallback } from './leak-guard-callback';
import { learningRateLogger } from './learning-rate-logger';
import { progressCallback, terminalProgressBar, type ProgressEvent } from './progress-callback';
import { TrainingHistory } from './training-history';

let directory: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-callbacks-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const data = blobs(48);
const loss = (labels: tf.Tensor, logits: tf.Tensor) => sparseCategoricalCrossEntropy(labels, logits);
const trainer = (overrides: Partial<TrainerConfig> = {}) =>
  new Trainer({ model: mlp(), loss, schedule: constantSchedule(0.05), metrics: { accuracy: tensorAccuracy }, ...overrides });

describe('TrainingHistory', () => {
  it('exports the epoch curves as JSON and CSV', async () => {
    const history = new TrainingHistory({ recordBatches: true });
    const { history: rows } = await trainer().fit(data, { epochs: 2, batchSize: 16, validationSplit: 0.25, callbacks: [history] });
    expect(history.toJSON().epochs).toEqual(rows);
    expect(history.batches.map((batch) => [batch.epoch, batch.batch])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
    const [header, first, second, end] = history.toCSV().split('\n');
    expect(header).toBe('epoch,loss,learningRate,val_loss,val_accuracy');
    expect(first).toBe(`0,${rows[0]!.loss},0.05,${rows[0]!.val_loss},${rows[0]!.val_accuracy}`);
    expect(second!.startsWith('1,')).toBe(true);
    expect(end).toBe('');
    expect(JSON.parse(JSON.stringify(history)).epochs[1].val_accuracy).toBe(rows[1]!.val_accuracy);
  });
});

describe('earlyStopping', () => {
  const context = () => {
    const state = { stopped: false };
    return { state, context: { stop: () => void (state.stopped = true) } as unknown as CallbackContext };
  };

  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    const callback = earlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 0.01 });
    const { state, context: fake } = context();
    const values = [1, 0.8, 0.795, 0.79, 0.7, 0.75, 0.72, 0.71];
    let stoppedAt = -1;
    values.forEach((value, epoch) => {
      if (state.stopped) return;
      callback.onEpochEnd!(epoch, { val_loss: value }, fake);
      if (state.stopped) stoppedAt = epoch;
    });
    // 0.795 and 0.79 are within minDelta of 0.8 -> 2 waits; 0.7 improves; 0.75, 0.72 wait; 0.71 is the 3rd.
    expect(stoppedAt).toBe(7);
    expect(callback.bestEpoch).toBe(4);
    expect(callback.bestValue).toBe(0.7);
  });

  it('treats accuracy-like metrics as higher-is-better and names a missing metric', () => {
    const callback = earlyStopping({ monitor: 'val_accuracy' });
    const { state, context: fake } = context();
    callback.onEpochEnd!(0, { val_accuracy: 0.5 }, fake);
    callback.onEpochEnd!(1, { val_accuracy: 0.6 }, fake);
    expect(state.stopped).toBe(false);
    callback.onEpochEnd!(2, { val_accuracy: 0.55 }, fake);
    expect(state.stopped).toBe(true);
    expect(() => earlyStopping({ monitor: 'val_f1' }).onEpochEnd!(0, { loss: 1, val_loss: 2 }, fake)).toThrow(
      'earlyStopping: monitored metric "val_f1" is not in the epoch logs (loss, val_loss)',
    );
  });

  it('stops a real fit and restores the best weights', async () => {
    const instance = trainer();
    const snapshots: number[][][] = [];
    // Training loss falls every epoch, so with mode max epoch 0 stays the best and patience 1 stops at epoch 2.
    const stopper = earlyStopping({ monitor: 'loss', mode: 'max', patience: 1, restoreBestWeights: true });
    const result = await instance.fit(data, {
      epochs: 10,
      batchSize: 16,
      callbacks: [{ onEpochEnd: async () => void snapshots.push(await readWeights(instance.model)) }, stopper],
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history).toHaveLength(3);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(await readWeights(instance.model)).toEqual(snapshots[0]);
  });
});

describe('checkpointCallback', () => {
  it('saves every epoch, and after a NaN stop the last good checkpoint loads', async () => {
    const destination = `file://${directory}/every-epoch`;
    const saver = checkpointCallback({ destination });
    const poisonFrom = 2;
    let epoch = 0;
    // A generator whose third epoch yields a NaN batch.
    const batches = () => {
      const current = epoch++;
      return [0, 16, 32].map((start) => ({
        xs: tf.tensor2d(data.x.slice(start, start + 16).map((row) => (current >= poisonFrom && start === 16 ? [NaN, NaN] : row))),
        ys: tf.tensor1d(data.y.slice(start, start + 16)),
      }))[Symbol.iterator]();
    };
    const instance = trainer();
    let endOfEpoch1: number[][] = [];
    let lastBatch: number[][] = [];
    const snapshots = {
      onBatchEnd: async () => void (lastBatch = await readWeights(instance.model)),
      onEpochEnd: async (index: number) => void (index === 1 && (endOfEpoch1 = await readWeights(instance.model))),
    };
    const error = await instance.fit(batches, { epochs: 4, callbacks: [snapshots, saver] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NonFiniteError);
    expect((error as NonFiniteError).batch).toBe(1);
    expect((error as NonFiniteError).epoch).toBe(2);
    expect(saver.savedEpochs).toEqual([0, 1]);
    const restored = trainer({ model: mlp(50) });
    await restored.load(destination);
    expect(restored.state.epoch).toBe(2);
    expect(await readWeights(restored.model)).toEqual(endOfEpoch1);
    expect(await readWeights(instance.model)).toEqual(lastBatch); // in memory: the weights after the last good batch
  });

  it('with a monitor, saves only improvements', async () => {
    const saver = checkpointCallback({ destination: `file://${directory}/best`, monitor: 'loss', mode: 'max' });
    await trainer().fit(data, { epochs: 3, batchSize: 16, callbacks: [saver] });
    expect(saver.savedEpochs).toEqual([0]);
  });
});

describe('learningRateLogger and leakGuardCallback', () => {
  it('logs the rate each update used', async () => {
    const schedule = stepDecaySchedule({ initialLearningRate: 0.1, decayFactor: 0.5, stepSize: 2 });
    const rates = learningRateLogger();
    await trainer({ optimizer: sgd(), schedule }).fit(data, { epochs: 2, batchSize: 16, callbacks: [rates] });
    expect(rates.values).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025].map((learningRate, index) => ({ step: index + 1, learningRate })));
  });

  it('passes a clean loop (with accumulation) and names the step of a leaking one', async () => {
    await trainer({ accumulationSteps: 2 }).fit(data, { epochs: 2, batchSize: 8, callbacks: [leakGuardCallback()] });
    const kept: tf.Tensor[] = [];
    let calls = 0;
    const leaky = (labels: tf.Tensor, logits: tf.Tensor) => {
      if (++calls === 3) kept.push(tf.keep(tf.ones([1]))); // the third step leaves one tensor behind
      return loss(labels, logits);
    };
    const error = await trainer({ loss: leaky }).fit(data, { epochs: 1, batchSize: 8, callbacks: [leakGuardCallback()] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TensorLeakError);
    expect((error as Error).message).toMatch(/^training step 3 leaked 1 tensor\(s\)/);
    tf.dispose(kept);
  });
});

describe('progressCallback', () => {
  it('emits plain events for UIs', async () => {
    const events: ProgressEvent[] = [];
    await trainer().fit(data, { epochs: 2, batchSize: 24, callbacks: [progressCallback({ terminal: false, onEvent: (event) => events.push(event) })] });
    expect(events.map((event) => (event.type === 'batch' ? `batch ${event.epoch}.${event.batch}/${event.batches}` : event.type))).toEqual([
      'epoch-begin', 'batch 0.0/2', 'batch 0.1/2', 'epoch-end', 'epoch-begin', 'batch 1.0/2', 'batch 1.1/2', 'epoch-end', 'train-end',
    ]);
  });

  it('draws a cli-progress bar per epoch', async () => {
    let output = '';
    const stream = new Writable({ write: (chunk, _encoding, done) => void ((output += String(chunk)), done()) });
    await trainer().fit(data, { epochs: 2, batchSize: 16, callbacks: [progressCallback({ terminal: true, stream })] });
    expect(output).toMatch(/epoch 1\/2 \[[█░]+\] 3\/3 batches \| loss \d\.\d{4} \| lr 5\.00e-2/);
    expect(output).toMatch(/epoch 2\/2 \[[█░]+\] 3\/3 batches/);
  });
});

describe('terminalProgressBar', () => {
  it('draws the same bar for a loop of your own, with a note after the learning rate', async () => {
    let output = '';
    const stream = new Writable({ write: (chunk, _encoding, done) => void ((output += String(chunk)), done()) });
    const bar = await terminalProgressBar({ terminal: true, stream });
    expect(bar.drawing).toBe(true);
    bar.begin(2, 10, 4);
    for (let batch = 0; batch < 4; batch++) bar.update(batch, { loss: 1 / (batch + 1), learningRate: 0.003, note: `${batch + 1}.0/85 min` });
    bar.end();
    expect(output).toMatch(/epoch 3\/10 \[[█░]+\] 4\/4 batches \| loss 0\.2500 \| lr 3\.00e-3 \| 4\.0\/85 min \| ETA/);
  });

  it('draws nothing when terminal is false, and stays callable', async () => {
    const bar = await terminalProgressBar({ terminal: false });
    expect(bar.drawing).toBe(false);
    bar.begin(0, 1, 3);
    bar.update(0, { loss: 1, learningRate: 0.1 });
    bar.end();
  });
});
