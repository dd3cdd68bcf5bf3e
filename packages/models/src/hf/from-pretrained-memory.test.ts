// fromPretrained allocates each weight once on the cpu and wasm backends: tensors stream piece by
// piece into the variables' own memory (no random draw, no zeros-then-assign, no second tensor);
// on WebGPU each loaded tensor is gathered once, then assigned. The RSS of a
// bert-base load is measured by bench/hf-bert-load-memory.ts (1.06x the file; it was 1.58x).
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeBackends, TEST_BACKENDS } from '@heed/backends/testing';
import { fromPretrained } from './from-pretrained';
import { variableStorage } from './variable-storage';
import { HF_FIXTURES } from './testing/hf-fixtures';

const FIXTURES = ['bert-seq-cls-f32', 'bert-mlm-f16', 'bert-base-bf16', 'roberta-mlm-f32', 'distilbert-seq-cls-f32', 'vit-image-cls-f32'];

/** Runs `load` counting the tensor buffers (data ids) created meanwhile and their bytes. */
async function countAllocations<T>(load: () => Promise<T>): Promise<{ result: T; buffers: number; bytes: number }> {
  const engine = tf.engine() as unknown as { trackTensor: (tensor: tf.Tensor, backend: unknown) => void; state: { tensorInfo: Map<object, unknown> } };
  const track = engine.trackTensor;
  let buffers = 0;
  let bytes = 0;
  engine.trackTensor = function (this: typeof engine, tensor, backend) {
    if (!this.state.tensorInfo.has(tensor.dataId)) {
      buffers += 1;
      bytes += tensor.size * 4;
    }
    track.call(this, tensor, backend);
  };
  try {
    return { result: await load(), buffers, bytes };
  } finally {
    engine.trackTensor = track;
  }
}

await describeBackends(TEST_BACKENDS, (backend) => {
  it.each(FIXTURES)('%s: every weight is allocated once, and nothing else (one more tensor per loaded weight where variables live on a GPU)', async (fixture) => {
    const { folderSource } = await import('./sources/folder-source-node');
    const before = tf.memory().numBytes;
    const { result: model, buffers, bytes } = await countAllocations(() => fromPretrained(folderSource(join(HF_FIXTURES, fixture)), { onWarning: () => undefined }));
    const weightBytes = model.weights.reduce((sum, weight) => sum + weight.variable.size * 4, 0);
    expect(tf.memory().numBytes - before).toBe(weightBytes); // nothing else is held
    if (backend === 'webgpu') {
      expect(buffers).toBeLessThanOrEqual(2 * model.weights.length);
      expect(bytes).toBeLessThanOrEqual(2 * weightBytes);
    } else {
      expect(model.weights.every((weight) => variableStorage(weight.variable) !== undefined)).toBe(true);
      expect(buffers).toBe(model.weights.length); // no random draw, no zeros-then-assign, no loaded copy
      expect(bytes).toBe(weightBytes);
    }
    model.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});

await describeBackends(TEST_BACKENDS, () => {
  it('a sharded checkpoint (model.safetensors.index.json) streams through the same path to the same weights, bit for bit', async () => {
    const { folderSource } = await import('./sources/folder-source-node');
    const { savePretrained } = await import('./save-pretrained-node');
    const single = await fromPretrained(folderSource(join(HF_FIXTURES, 'bert-seq-cls-f32')), { onWarning: () => undefined });
    const folder = await mkdtemp(join(tmpdir(), 'heed-sharded-'));
    try {
      const written = await savePretrained(single, folder, { maxShardBytes: 8_000 });
      expect(written.filter((file) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(file)).length).toBeGreaterThan(2);
      const { result: sharded, buffers } = await countAllocations(() => fromPretrained(folderSource(folder), { onWarning: () => undefined }));
      expect(buffers).toBeLessThanOrEqual(2 * sharded.weights.length);
      for (const [index, weight] of sharded.weights.entries()) {
        expect(weight.name).toBe(single.weights[index]!.name);
        expect(await weight.variable.data()).toEqual(await single.weights[index]!.variable.data());
      }
      sharded.dispose();
    } finally {
      single.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

await describeBackends(['cpu', 'wasm'], () => {
  it('variableStorage writes in place only where the variable owns its data', async () => {
    const zeros = tf.zeros([2, 3]);
    const variable = tf.variable(zeros);
    expect(variableStorage(variable)).toBeUndefined(); // the initial tensor still shares the data
    zeros.dispose();
    const storage = variableStorage(variable)!;
    storage().set([1, 2, 3], 2);
    expect(Array.from(await variable.data())).toEqual([0, 0, 1, 2, 3, 0]);
    const alias = tf.clone(variable); // shares the data: an in-place write would change it too
    expect(variableStorage(variable)).toBeUndefined();
    alias.dispose();
    expect(variableStorage(variable)).toBeDefined();
    const ints = tf.variable(tf.zeros([2], 'int32'));
    expect(variableStorage(ints)).toBeUndefined();
    tf.dispose([variable, ints]);
  });
});
