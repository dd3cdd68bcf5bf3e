// One training step of heed's Trainer on a Hugging Face checkpoint gives PyTorch's gradients:
// BertForSequenceClassification from the PyTorch-written fixture, through fromHfModel (named inputs,
// forward with training: true), sparse cross-entropy and the Trainer's tf.variableGrads, with SGD at
// learning rate 1 so the weight change is minus the gradient. The fixture's gradients are PyTorch's
// eval-mode step (make_hf_fixtures.py), so the copy here has its dropout set to 0 in config.json.
// On every backend (cpu, wasm, webgpu in Node).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { fromPretrained, type HfPretrainedModel } from '@heed/models';
import { folderSource, openSafetensorsNode } from '@heed/models/node';
import { Trainer, constantSchedule, fromHfModel, sgd, sparseCategoricalCrossEntropy } from '@heed/training';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HF_FIXTURES } from '../__fixtures__/hub-server';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'heed-fine-tune-gradients-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function torchGradients(name: string): Promise<Map<string, Float32Array>> {
  const reader = await openSafetensorsNode(join(HF_FIXTURES, name, 'gradients.safetensors'));
  const out = new Map<string, Float32Array>();
  for await (const tensor of reader.tensors({ skipIntegers: true })) out.set(tensor.name, tensor.data as Float32Array);
  await reader.close();
  return out;
}

await describeBackends(TEST_BACKENDS, (backend) => {
  it('one Trainer step on BertForSequenceClassification: every gradient within 1e-4 of PyTorch, and the loss', async () => {
    const name = 'bert-seq-cls-f32';
    const folder = join(directory, `${name}-${backend}`);
    await cp(join(HF_FIXTURES, name), folder, { recursive: true });
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'config.json'), JSON.stringify({ ...config, hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 }));
    const reference = JSON.parse(await readFile(join(folder, 'reference.json'), 'utf8')) as { inputs: Record<string, number[][]>; labels: number[]; loss: number };

    const tensorsBefore = tf.memory().numTensors;
    const model = await fromPretrained<HfPretrainedModel>(folderSource(folder));
    const before = new Map(await Promise.all(model.weights.map(async (weight) => [weight.name, await model.parameters.hfData(weight.name)] as const)));
    const trainer = new Trainer({ model: fromHfModel(model), loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits), optimizer: sgd(), schedule: constantSchedule(1) });
    const losses: number[] = [];
    await trainer.fit({ x: reference.inputs, y: reference.labels }, { epochs: 1, batchSize: reference.labels.length, shuffle: false, callbacks: [{ onBatchEnd: (logs) => void losses.push(logs.loss) }] });
    expect(losses).toHaveLength(1);
    expect(losses[0]).toBeCloseTo(reference.loss, 5);

    const expected = await torchGradients(name);
    const trainable = model.weights.filter((weight) => weight.trainable).map((weight) => weight.name);
    expect(trainable.slice().sort()).toEqual([...expected.keys()].sort());
    for (const weight of trainable) {
      const after = await model.parameters.hfData(weight);
      const gradient = before.get(weight)!.map((value, index) => value - after[index]!); // w - (w - 1·g) = g
      await expectClose(gradient, expected.get(weight)!, { atol: 1e-4, rtol: 0, label: weight });
    }
    trainer.optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore); // nothing leaked by the step
  });
});
