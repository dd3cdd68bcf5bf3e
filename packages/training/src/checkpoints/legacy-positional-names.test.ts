// Checkpoints of heed ≤ 0.1 named weights by position; `__fixtures__/positional-checkpoint` was
// written by that code (commit 34d1a84): a 2 → 3 (tanh) → 1 dense model trained 2 epochs (4 Adam
// updates, seed 3) through fromLayersModel, whose weights were "0:kernel", "1:bias", ….
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWeights } from '../__fixtures__/tiny-problem';
import { adam } from '../optimizers/adam';
import { fromLayersModel } from '../trainer/trainable-model';
import { Trainer } from '../trainer/trainer';
import { decodeCheckpoint } from './checkpoint-artifacts';
import { fileCheckpoint } from './file-checkpoint';

const fixture = fileURLToPath(new URL('../__fixtures__/positional-checkpoint', import.meta.url));
const model = () => tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
const trainer = () => new Trainer({ model: model(), loss: (labels, predictions) => tf.losses.meanSquaredError(labels, predictions) as tf.Scalar, optimizer: adam(), seed: 3 });

beforeAll(() => initBackend({ backend: 'cpu' }));

async function positional(directory: string) {
  const contents = decodeCheckpoint(await fileCheckpoint(directory).load());
  const read = async (map: tf.NamedTensorMap) => Object.fromEntries(await Promise.all(Object.entries(map).map(async ([name, tensor]) => [name, Array.from(await tensor.data())] as const)));
  const result = { weights: await read(contents.modelWeights), slots: await read(contents.optimizerSlots), state: contents.state };
  tf.dispose([contents.modelWeights, contents.optimizerSlots]);
  return result;
}

describe('checkpoints with positional weight names (heed ≤ 0.1)', () => {
  it('fromLayersModel names weights by role, the same in every fresh instance', () => {
    model(); // another model built first: tfjs' own layer names move on, the role names do not
    expect(fromLayersModel(model()).weights.map((weight) => weight.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    const named = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], name: 'encoder' }), tf.layers.dense({ units: 1, name: 'head' })] });
    expect(fromLayersModel(named).weights.map((weight) => weight.name)).toEqual(['encoder/kernel', 'encoder/bias', 'head/kernel', 'head/bias']);
  });

  it('load by position into the same architecture: weights, Adam moments and counters, and training goes on', async () => {
    const saved = await positional(fixture);
    expect(Object.keys(saved.weights)).toEqual(['0:kernel', '1:bias', '2:kernel', '3:bias']);
    const restored = trainer();
    await restored.load(`file://${fixture}`);
    expect(restored.state).toEqual(saved.state);
    expect(restored.state.step).toBe(4);
    expect(await readWeights(restored.model)).toEqual(Object.values(saved.weights));
    const slots = await restored.optimizer.slots(restored.model.weights.filter((weight) => weight.trainable));
    const moments = Object.fromEntries(await Promise.all(Object.entries(slots).map(async ([name, tensor]) => [name, Array.from(await tensor.data())] as const)));
    expect(moments['dense_1/kernel/m']).toEqual(saved.slots['2:kernel/m']);
    expect(moments['dense/bias/v']).toEqual(saved.slots['1:bias/v']);
    // It saves under the role names and trains on from step 4.
    const out = mkdtempSync(join(tmpdir(), 'heed-positional-'));
    cpSync(fixture, join(out, 'old'), { recursive: true });
    await restored.fit({ x: tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tf.tensor2d([[0], [1], [1], [0]]) }, { epochs: 3, batchSize: 2 });
    expect(restored.state.step).toBe(6);
    await restored.save(`file://${join(out, 'new')}`);
    expect(Object.keys((await positional(join(out, 'new'))).weights)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    expect(readFileSync(join(out, 'old', 'checkpoint.json'), 'utf8')).toBe(readFileSync(join(fixture, 'checkpoint.json'), 'utf8'));
  });

  it('a positional checkpoint of another architecture is refused, naming the difference', async () => {
    const wider = new Trainer({ model: tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2] }), tf.layers.dense({ units: 1 })] }), loss: (labels, predictions) => tf.losses.meanSquaredError(labels, predictions) as tf.Scalar, optimizer: adam() });
    await expect(wider.load(`file://${fixture}`)).rejects.toThrow(/checkpoint does not match the model architecture: weight 0 is dense\/kernel \[2, 3\] .* in the checkpoint but dense\/kernel \[2, 4\]/);
  });
});
