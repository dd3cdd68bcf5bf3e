// Checkpoints taken inside an epoch resume there: the same shuffled order (redrawn from the saved
// RNG state), only the remaining batches, the same epoch mean loss and validation numbers.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, layersMlp, mlp, readWeights } from '../__fixtures__/tiny-problem';
import { checkpointCallback } from '../callbacks/checkpoint-callback';
import type { Batch } from '../data/training-data';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { tensorAccuracy } from '../metrics/tensor-accuracy';
import { adam } from '../optimizers/adam';
import { warmupCosineSchedule } from '../schedules/warmup-cosine-schedule';
import { Trainer } from '../trainer/trainer';
import type { FitOptions, TrainerConfig } from '../trainer/trainer-types';

let directory: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-mid-epoch-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const data = blobs(90);
const trainer = (overrides: Partial<TrainerConfig> = {}) =>
  new Trainer({
    model: layersMlp(),
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits),
    optimizer: adam({ weightDecay: 0.01 }),
    schedule: warmupCosineSchedule({ peakLearningRate: 0.05, warmupSteps: 4, totalSteps: 40 }),
    metrics: { accuracy: tensorAccuracy },
    seed: 21,
    ...overrides,
  });

async function run(instance: Trainer, trainingData: Parameters<Trainer['fit']>[0], options: FitOptions) {
  const losses: number[] = [];
  const { history } = await instance.fit(trainingData, { ...options, callbacks: [...(options.callbacks ?? []), { onBatchEnd: (logs) => void losses.push(logs.loss) }] });
  return { losses, history };
}

function memory(): { handler: tf.io.IOHandler; artifacts: () => tf.io.ModelArtifacts } {
  let saved: tf.io.ModelArtifacts | undefined;
  const handler = tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  return { handler, artifacts: () => saved! };
}

describe('mid-epoch checkpoints', () => {
  it('checkpointCallback({ everySteps }) saves inside epochs, and each resumes to the uninterrupted run exactly', async () => {
    // 72 training examples in batches of 15: 5 batches (the last of 12) per epoch, 20 updates in 4 epochs.
    const options: FitOptions = { epochs: 4, batchSize: 15, validationSplit: 0.2 };
    const saver = checkpointCallback({ destination: (_epoch, step) => `file://${directory}/step-${step}`, everySteps: 4 });
    const uninterrupted = await run(trainer(), data, { ...options, callbacks: [saver] });
    expect(saver.savedSteps).toEqual([4, 8, 12, 16, 20]);
    expect(saver.savedEpochs).toEqual([]); // everySteps alone: no epoch-end saves
    expect(uninterrupted.losses).toHaveLength(20);

    // Step 8 is batch 2 of epoch 1; step 20 is the last batch of the last epoch, before its end.
    for (const [step, epoch, batch] of [[8, 1, 3], [20, 3, 5]] as const) {
      const resumed = trainer({ model: layersMlp(50) });
      await resumed.load(`file://${directory}/step-${step}`);
      expect(resumed.state).toMatchObject({ epoch, step, batch, epochBatching: { batchSize: 15, examples: 72, shuffle: true } });
      const rest = await run(resumed, data, options);
      expect(rest.losses).toEqual(uninterrupted.losses.slice(step)); // bit-identical
      expect(rest.history).toEqual(uninterrupted.history.slice(epoch)); // epoch mean loss, val_loss, val_accuracy
      expect(await readWeights(resumed.model)).toEqual(await readWeights((await reference()).model));
    }

    async function reference() {
      const again = trainer();
      await again.fit(data, options);
      return again;
    }
  });

  it('resumes inside a gradient-accumulation group (the summed gradients are saved)', async () => {
    // 9 batches of 10 per epoch, updates every 2: a checkpoint after batch 4 of epoch 1 holds one summed batch.
    const options: FitOptions = { epochs: 3, batchSize: 10 };
    const uninterrupted = await run(trainer({ model: mlp(), accumulationSteps: 2 }), data, options);
    const saved = memory();
    const interrupted = trainer({ model: mlp(), accumulationSteps: 2 });
    let stateAtSave: Trainer['state'] | undefined;
    const saveOnce = {
      onBatchEnd: async (logs: { epoch: number; batch: number }) => {
        if (logs.epoch !== 1 || logs.batch !== 4) return;
        await interrupted.save(saved.handler);
        stateAtSave = interrupted.state;
      },
    };
    await run(interrupted, data, { ...options, callbacks: [saveOnce] });
    expect(stateAtSave).toMatchObject({ epoch: 1, batch: 5, accumulatedBatches: 1, step: 7 });

    const resumed = trainer({ model: mlp(9), accumulationSteps: 2 });
    await resumed.load(tf.io.fromMemory(saved.artifacts()));
    const before = tf.memory().numTensors;
    const rest = await run(resumed, data, options);
    expect(rest.losses).toEqual(uninterrupted.losses.slice(14));
    expect(await readWeights(resumed.model)).toEqual(await readWeights(interrupted.model));
    expect(tf.memory().numTensors).toBe(before - 4); // the 4 restored gradient sums were applied and freed
  });

  it('resumes generators and tf.data datasets by skipping the batches already trained', async () => {
    const batches = (): Batch[] =>
      [0, 15, 30, 45, 60, 75].map((start) => ({ xs: tf.tensor2d(data.x.slice(start, start + 15)), ys: tf.tensor1d(data.y.slice(start, start + 15)) }));
    const dataset = tf.data.zip({ xs: tf.data.array(data.x), ys: tf.data.array(data.y) }).batch(15) as unknown as tf.data.Dataset<Batch>;
    for (const source of [() => batches()[Symbol.iterator](), dataset]) {
      const saver = checkpointCallback({ destination: (_epoch, step) => `file://${directory}/stream-${step}`, everySteps: 4 });
      const uninterrupted = await run(trainer({ model: mlp() }), source, { epochs: 3, callbacks: [saver] });
      const resumed = trainer({ model: mlp(5) });
      await resumed.load(`file://${directory}/stream-8`); // epoch 1, after its batch 1
      expect(resumed.state).toMatchObject({ epoch: 1, batch: 2 });
      const before = tf.memory().numTensors;
      expect((await run(resumed, source, { epochs: 3 })).losses).toEqual(uninterrupted.losses.slice(8));
      expect(tf.memory().numTensors).toBe(before); // skipped batches were freed
    }
  });

  it('refuses to resume an epoch with other batching, naming both', async () => {
    const saved = memory();
    const interrupted = trainer();
    await interrupted.fit(data, { epochs: 1, batchSize: 15, callbacks: [{ onBatchEnd: async (logs) => void (logs.batch === 2 && (await interrupted.save(saved.handler))) }] });
    const resumed = () => {
      const instance = trainer({ model: layersMlp(4) });
      return instance.load(tf.io.fromMemory(saved.artifacts())).then(() => instance);
    };
    await expect((await resumed()).fit(data, { epochs: 2, batchSize: 10 })).rejects.toThrow(
      'cannot resume epoch 0 after batch 2: it was batched with batchSize 15, 90 examples, shuffle true but this fit has batchSize 10, 90 examples, shuffle true; resume with the same data and options',
    );
    await expect((await resumed()).fit(() => [][Symbol.iterator](), { epochs: 2 })).rejects.toThrow(
      'it was batched with batchSize 15, 90 examples, shuffle true but this fit has streamed batches',
    );
    await expect((await resumed()).fit(data, { epochs: 2, batchSize: 15 })).resolves.toMatchObject({ history: [{ epoch: 0 }, { epoch: 1 }] });
  });
});
