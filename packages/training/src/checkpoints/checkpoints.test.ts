import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { mkdtemp, readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, layersMlp, mlp, readWeights } from '../__fixtures__/tiny-problem';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { adam } from '../optimizers/adam';
import { sgd } from '../optimizers/sgd';
import { warmupCosineSchedule } from '../schedules/warmup-cosine-schedule';
import { fromVariables } from '../trainer/trainable-model';
import { Trainer } from '../trainer/trainer';
import type { TrainerConfig } from '../trainer/trainer-types';
import { fileCheckpoint, type CheckpointFileSystem } from './file-checkpoint';
import { swapCheckpoint } from './swap-checkpoint';

let directory: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-training-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const data = blobs(90);
const trainer = (overrides: Partial<TrainerConfig> = {}) =>
  new Trainer({
    model: layersMlp(),
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits, { labelSmoothing: 0.1 }),
    optimizer: adam({ weightDecay: 0.01 }),
    schedule: warmupCosineSchedule({ peakLearningRate: 0.05, warmupSteps: 5, totalSteps: 36 }),
    seed: 11,
    ...overrides,
  });

async function losses(instance: Trainer, epochs: number) {
  const values: number[] = [];
  await instance.fit(data, { epochs, batchSize: 15, callbacks: [{ onBatchEnd: (logs) => void values.push(logs.loss) }] });
  return values;
}

describe('save and resume', () => {
  it('a run resumed from a file:// checkpoint reproduces the uninterrupted run exactly', async () => {
    const uninterrupted = await losses(trainer(), 6);

    const interrupted = trainer();
    const firstHalf = await losses(interrupted, 3);
    await interrupted.save(`file://${directory}/resume`);
    // A fresh model (a different instance, so different tfjs layer names) and optimizer.
    const resumed = trainer({ model: layersMlp(99) });
    await resumed.load(`file://${directory}/resume`);
    expect(resumed.state).toEqual(interrupted.state);
    expect(resumed.state).toMatchObject({ epoch: 3, step: 18 });
    const secondHalf = await losses(resumed, 6);

    expect(uninterrupted).toHaveLength(36);
    expect([...firstHalf, ...secondHalf]).toEqual(uninterrupted); // bit-identical, not just close
  });

  it('resumes SGD momentum slots through a tf.io handler (withSaveHandler / fromMemory)', async () => {
    const config = () => ({ model: mlp(), optimizer: sgd({ momentum: 0.9 }) });
    const uninterrupted = await losses(trainer(config()), 4);
    const first = trainer(config());
    const firstHalf = await losses(first, 2);
    let saved: tf.io.ModelArtifacts | undefined;
    await first.save(tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const resumed = trainer({ model: mlp(42), optimizer: sgd({ momentum: 0.9 }) });
    await resumed.load(tf.io.fromMemory(saved!));
    expect([...firstHalf, ...(await losses(resumed, 4))]).toEqual(uninterrupted);
  });
});

describe('atomic saves', () => {
  it('a save that throws half way through writing leaves the previous checkpoint loadable', async () => {
    const path = `${directory}/atomic`;
    const original = trainer();
    await original.fit(data, { epochs: 1, batchSize: 15 });
    await original.save(fileCheckpoint(path));
    const savedWeights = await readWeights(original.model);

    await original.fit(data, { epochs: 2, batchSize: 15 }); // the weights move on
    // A file system whose writer dies after writing half of the new weights file.
    const crashing: CheckpointFileSystem = {
      mkdir, readdir, rename, rm, readFile,
      writeFile: async (file, contents) => {
        if (typeof contents !== 'string') {
          await writeFile(file, contents.subarray(0, contents.length >> 1));
          throw new Error('simulated crash inside the writer');
        }
        await writeFile(file, contents);
      },
    };
    await expect(original.save(fileCheckpoint(path, { fileSystem: crashing }))).rejects.toThrow('simulated crash inside the writer');
    expect((await readdir(path)).filter((name) => name.startsWith('weights-'))).toHaveLength(1); // the partial new file is removed

    const restored = trainer({ model: layersMlp(7) });
    await restored.load(fileCheckpoint(path));
    expect(await readWeights(restored.model)).toEqual(savedWeights);
    expect(restored.state.epoch).toBe(1);

    await original.save(fileCheckpoint(path)); // the next good save replaces the old weights file
    expect((await readdir(path)).filter((name) => name.startsWith('weights-'))).toHaveLength(1);
  });

  it('swapCheckpoint keeps the old checkpoint when the new key fails to save', async () => {
    // An in-memory tf.io scheme standing in for indexeddb:// (which Node lacks).
    const store = new Map<string, tf.io.ModelArtifacts>();
    let failNext = false;
    const memoryHandler = (url: string): tf.io.IOHandler => ({
      save: async (artifacts) => {
        if (failNext && url.includes('@')) throw new Error('quota exceeded (simulated)');
        store.set(url, artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
      load: async () => {
        const artifacts = store.get(url);
        if (!artifacts) throw new Error(`nothing at ${url}`);
        return artifacts;
      },
    });
    // tf.io routers return null for URLs they do not handle (its typings omit the null).
    const router = ((url: string | string[]) => (typeof url === 'string' && url.startsWith('heed-memory://') ? memoryHandler(url) : null)) as Parameters<typeof tf.io.registerSaveRouter>[0];
    tf.io.registerSaveRouter(router);
    tf.io.registerLoadRouter(router);

    const original = trainer();
    await original.fit(data, { epochs: 1, batchSize: 15 });
    await original.save('heed-memory://run');
    const savedWeights = await readWeights(original.model);
    await original.fit(data, { epochs: 2, batchSize: 15 });
    failNext = true;
    await expect(original.save('heed-memory://run')).rejects.toThrow('quota exceeded (simulated)');
    const restored = trainer({ model: layersMlp(7) });
    await restored.load(swapCheckpoint('heed-memory://run'));
    expect(await readWeights(restored.model)).toEqual(savedWeights);
  });
});

describe('bad checkpoints name the difference', () => {
  it('a checkpoint from a different architecture is refused and changes nothing', async () => {
    const path = `file://${directory}/architecture`;
    await trainer().save(path);
    const wider = trainer({ model: layersMlp(3, 16) });
    const before = await readWeights(wider.model);
    await expect(wider.load(path)).rejects.toThrow(
      /^checkpoint does not match the model architecture: weight 0 is dense\/kernel \[2, 8\] \(dense_Dense\d+\/kernel\) in the checkpoint but dense\/kernel \[2, 16\] \(dense_Dense\d+\/kernel\) in the model$/,
    );
    expect(await readWeights(wider.model)).toEqual(before);
    await expect(trainer({ model: mlp() }).load(path)).rejects.toThrow(/weight 0 is dense\/kernel \[2, 8\] \(.*\) in the checkpoint but hiddenWeight \[2, 8\] \(hiddenWeight\) in the model/);
    const weight = tf.variable(tf.zeros([2, 3]));
    const linear = fromVariables({ weight }, (inputs) => inputs.matMul(weight));
    await expect(trainer({ model: linear }).load(path)).rejects.toThrow(
      'checkpoint does not match the model architecture: the checkpoint holds 4 weights (dense/kernel [2, 8], dense/bias [8], dense_1/kernel [8, 3], dense_1/bias [3]) but the model has 1 (weight [2, 3])',
    );
    weight.dispose();
  });

  it('a missing checkpoint and a foreign file', async () => {
    await expect(trainer().load(`file://${directory}/nothing-here`)).rejects.toThrow(`no checkpoint at ${directory}/nothing-here: cannot read checkpoint.json`);
    await mkdir(`${directory}/foreign`, { recursive: true });
    await writeFile(`${directory}/foreign/checkpoint.json`, JSON.stringify({ format: 'layers-model', weightsFile: 'w.bin' }));
    await writeFile(`${directory}/foreign/w.bin`, new Uint8Array(0));
    await expect(trainer().load(`file://${directory}/foreign`)).rejects.toThrow(`not a @heed/training checkpoint at ${directory}/foreign: format is "layers-model"`);
  });
});
