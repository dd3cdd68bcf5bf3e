// The e2e page: @heed/training (its source, bundled by Vite) on tfjs's cpu backend in Chromium,
// saving checkpoints to the browser's real IndexedDB. The test calls window.heedTraining.* with
// page.evaluate; the trainer lives in the page between calls, and a reload starts from nothing.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { blobs, mlp, readWeights } from '../../src/__fixtures__/tiny-problem';
import { adam, checkpointCallback, sparseCategoricalCrossEntropy, Trainer, warmupCosineSchedule } from '../../src/index';

/** The checkpoint's URL: a pointer saved here names the live `<URL>@<id>` key. */
const URL = 'indexeddb://heed-e2e-run';
const data = blobs(90);

const makeTrainer = (seed = 3) =>
  new Trainer({
    model: mlp(seed),
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits, { labelSmoothing: 0.1 }),
    optimizer: adam({ weightDecay: 0.01 }),
    schedule: warmupCosineSchedule({ peakLearningRate: 0.05, warmupSteps: 5, totalSteps: 24 }),
    seed: 11,
  });

/** Fits until `epochs` epochs are done (6 batches each); returns the step losses of this fit. */
async function fitLosses(trainer: Trainer, epochs: number, callbacks: Parameters<Trainer['fit']>[1]['callbacks'] = []): Promise<number[]> {
  const losses: number[] = [];
  await trainer.fit(data, { epochs, batchSize: 15, callbacks: [...callbacks, { onBatchEnd: (logs) => void losses.push(logs.loss) }] });
  return losses;
}

/** What IndexedDB holds for the run: its keys (sorted) and the key the pointer names. */
async function storage(): Promise<{ keys: string[]; pointer: string | undefined }> {
  const keys = Object.keys(await tf.io.listModels()).filter((key) => key.startsWith(URL)).sort();
  let pointer: string | undefined;
  try {
    const artifacts = await tf.io.getLoadHandlers(URL)[0]!.load!();
    pointer = (artifacts.modelTopology as { heedCheckpointKey?: string }).heedCheckpointKey;
  } catch {
    pointer = undefined;
  }
  return { keys, pointer };
}

/**
 * Makes the next IndexedDB put into tfjs's weights store (`models_store`) whose key `matches`
 * throw, as a full disk or a crash would: tfjs has already written the key's info record by
 * then, so the new checkpoint is left half written.
 */
function crashNextWeightsWrite(matches: (modelPath: string) => boolean): () => void {
  const original = IDBObjectStore.prototype.put;
  const restore = () => void (IDBObjectStore.prototype.put = original);
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const modelPath = (value as { modelPath?: string } | null)?.modelPath;
    if (this.name === 'models_store' && modelPath !== undefined && matches(modelPath)) {
      restore();
      throw new DOMException(`simulated crash while writing ${modelPath}`, 'QuotaExceededError');
    }
    return original.call(this, value, key);
  };
  return restore;
}

async function attempt(save: Promise<void>): Promise<string> {
  try {
    await save;
    return 'saved';
  } catch (error) {
    return (error as Error).message;
  }
}

let trainer: Trainer | undefined;

const heedTraining = {
  ready: initBackend({ backend: 'cpu' }).then((report) => report.name),

  /** 4 epochs without stopping: the reference losses. */
  uninterrupted: () => fitLosses(makeTrainer(), 4),

  /**
   * Trains 2 epochs saving after each (the second save swaps the pointer and removes the first
   * key), trains a third epoch, then fails two saves: one while writing the new key's weights,
   * one while writing the pointer (after the new key is complete).
   */
  async trainSaveAndFail() {
    trainer = makeTrainer();
    const afterEach: { keys: string[]; pointer: string | undefined }[] = [];
    const saver = checkpointCallback({ destination: URL });
    const losses = await fitLosses(trainer, 2, [saver, { onEpochEnd: async () => void afterEach.push(await storage()) }]);
    const saved = { weights: await readWeights(trainer.model), state: trainer.state };
    await fitLosses(trainer, 3); // the weights move on
    let restore = crashNextWeightsWrite((modelPath) => modelPath.startsWith(`${URL.slice('indexeddb://'.length)}@`));
    const weightsCrash = await attempt(trainer.save(URL));
    restore();
    const afterWeightsCrash = await storage();
    restore = crashNextWeightsWrite((modelPath) => modelPath === URL.slice('indexeddb://'.length));
    const pointerCrash = await attempt(trainer.save(URL));
    restore();
    const afterPointerCrash = await storage();
    return { losses, afterEach, saved, weightsCrash, afterWeightsCrash, pointerCrash, afterPointerCrash, savedEpochs: saver.savedEpochs };
  },

  /** After a reload: loads the checkpoint into a differently initialised model, trains to 4 epochs, saves. */
  async resume() {
    const resumed = makeTrainer(99);
    const before = await readWeights(resumed.model);
    await resumed.load(URL);
    const loaded = { weights: await readWeights(resumed.model), state: resumed.state };
    const tensors = tf.memory().numTensors;
    const losses = await fitLosses(resumed, 4);
    const grew = tf.memory().numTensors - tensors;
    await resumed.save(URL);
    return { before, loaded, losses, grew, afterSave: await storage() };
  },

  /**
   * A run that saves every 4 updates to IndexedDB and crashes at step 10 (a throw from a
   * callback); a fresh trainer resumes from the step-8 checkpoint, inside epoch 1.
   */
  async crashAndResumeMidEpoch() {
    const url = 'indexeddb://heed-e2e-mid-epoch';
    const crashing = makeTrainer();
    const saver = checkpointCallback({ destination: url, everySteps: 4 });
    const crash = { onBatchEnd: (logs: { step: number }) => void (logs.step === 10 && crashingAt()) };
    const crashingAt = () => {
      throw new Error('simulated crash at step 10');
    };
    const beforeCrash: number[] = [];
    const error = await fitLosses(crashing, 4, [saver, crash, { onBatchEnd: (logs) => void beforeCrash.push(logs.loss) }]).then(
      () => 'no crash',
      (caught: Error) => caught.message,
    );
    const resumed = makeTrainer(42);
    await resumed.load(url);
    const state = resumed.state;
    return { error, savedSteps: saver.savedSteps, beforeCrash, state, losses: await fitLosses(resumed, 4) };
  },

  storage,
};

declare global {
  interface Window {
    heedTraining: typeof heedTraining;
  }
}
window.heedTraining = heedTraining;
