import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHfConfig } from './config/hf-architectures';
import { hfWeightLayout } from './convert/hf-weight-layout';
import { fromPretrained } from './from-pretrained';
import type { HfPretrainedModel } from './hf-pretrained-model';
import { savePretrained } from './save-pretrained-node';
import { fileByteSource } from './safetensors/safetensors-node';
import { SafetensorsReader } from './safetensors/safetensors-reader';
import { folderSource } from './sources/folder-source-node';
import { disposeInputs, HF_FIXTURES, hfReference, outputTensors, textInputs } from './testing/hf-fixtures';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'hf', 'run_hf_checkpoint.py');
const PYTHON = '/usr/bin/python3';
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0;

let scratch: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  scratch = await mkdtemp(join(tmpdir(), 'heed-save-pretrained-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

const load = (folder: string) => fromPretrained<HfPretrainedModel>(folderSource(folder), { onWarning: () => undefined });

async function tensorBytes(file: string): Promise<Map<string, { dtype: string; shape: readonly number[]; bytes: Uint8Array }>> {
  const reader = await SafetensorsReader.open(await fileByteSource(file));
  const out = new Map<string, { dtype: string; shape: readonly number[]; bytes: Uint8Array }>();
  for (const name of reader.names) out.set(name, { dtype: reader.entry(name)!.dtype, shape: reader.entry(name)!.shape, bytes: await reader.readBytes(name) });
  expect(reader.header.metadata).toEqual({ format: 'pt' });
  await reader.close();
  return out;
}

describe('savePretrained', () => {
  it.each([
    ['bert-seq-cls-f32', 'F32'], ['bert-mlm-f16', 'F16'], ['bert-base-bf16', 'BF16'], ['bert-token-cls-f32', 'F32'], ['roberta-seq-cls-f32', 'F32'], ['distilbert-seq-cls-f32', 'F32'], ['vit-image-cls-f32', 'F32'],
    ['roberta-mlm-f32', 'F32'], ['distilbert-mlm-f32', 'F32'], ['vit-no-qkv-bias-f32', 'F32'], ['roberta-token-cls-f32', 'F32'], ['distilbert-token-cls-f32', 'F32'],
  ] as const)('%s: heed saves the HF layout byte for byte (%s), heed loads it back to identical weights and outputs', async (fixture, dtype) => {
    const model = await load(join(HF_FIXTURES, fixture));
    const folder = join(scratch, fixture);
    expect(await savePretrained(model, folder, { dtype })).toEqual(['model.safetensors', 'config.json']);

    // config.json: every field back, with architectures and torch_dtype.
    const json = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(json.architectures).toEqual([model.architecture]);
    expect(json.torch_dtype).toBe({ F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[dtype]);
    expect(parseHfConfig(json)).toEqual({ ...model.config, torch_dtype: json.torch_dtype });

    // model.safetensors: exactly the class's tensors, in state-dict order, HF shapes, the fixture's bytes.
    const saved = await tensorBytes(join(folder, 'model.safetensors'));
    const original = await tensorBytes(join(HF_FIXTURES, fixture, 'model.safetensors'));
    expect([...saved.keys()]).toEqual(hfWeightLayout(model.config, model.architecture).tensors.map((tensor) => tensor.name));
    for (const [name, tensor] of saved) {
      const stored = original.get(name)!; // every fixture stores the base prefix where the class has one
      expect(tensor.dtype, name).toBe(dtype);
      expect(tensor.shape, name).toEqual(stored.shape);
      expect(Buffer.from(tensor.bytes).equals(Buffer.from(stored.bytes)), `${name} bytes`).toBe(true);
    }

    const again = await load(folder);
    expect(again.architecture).toBe(model.architecture);
    for (const [i, weight] of model.weights.entries()) {
      expect(again.weights[i]!.name).toBe(weight.name);
      expect(Array.from(await again.weights[i]!.variable.data()), weight.name).toEqual(Array.from(await weight.variable.data()));
    }
    const reference = await hfReference(fixture);
    if (!('input_ids' in reference.inputs)) { // ViT: its weights (the Conv2d patch kernel back to (out, in, kh, kw) included) were compared above
      model.dispose();
      again.dispose();
      return;
    }
    const inputs = textInputs(reference);
    const [first, second] = [model.forward(inputs), again.forward(inputs)];
    const key = first.logits ? 'logits' : 'last_hidden_state';
    expect(Array.from(await second[key]!.data())).toEqual(Array.from(await first[key]!.data()));
    tf.dispose([...outputTensors(first), ...outputTensors(second)]);
    disposeInputs(inputs);
    model.dispose();
    again.dispose();
  });

  it('a save that fails part-way leaves the previous checkpoint intact, with no temporary files', async () => {
    const model = await load(join(HF_FIXTURES, 'distilbert-seq-cls-f32'));
    const folder = join(scratch, 'atomic');
    await savePretrained(model, folder);
    const before = await Promise.all(['config.json', 'model.safetensors'].map((file) => readFile(join(folder, file))));
    const parameters = model.parameters;
    const hfData = parameters.hfData.bind(parameters);
    parameters.hfData = async (name: string) => {
      if (name === 'classifier.bias') throw new Error('disk full (simulated)');
      return hfData(name);
    };
    tf.tidy(() => model.weights[0]!.variable.assign(tf.zerosLike(model.weights[0]!.variable)));
    await expect(savePretrained(model, folder)).rejects.toThrow(/disk full \(simulated\)/);
    const after = await Promise.all(['config.json', 'model.safetensors'].map((file) => readFile(join(folder, file))));
    expect(after.map((bytes, i) => bytes.equals(before[i]!))).toEqual([true, true]);
    expect((await readdir(folder)).sort()).toEqual(['config.json', 'model.safetensors']);
    model.dispose();
  });

  it.skipIf(torchMissing)('PyTorch (hf_reference.py) loads what heed saved after changing every weight, and gives heed\'s logits (1e-5)', async () => {
    const fixtures = ['bert-seq-cls-f32', 'roberta-seq-cls-f32', 'distilbert-seq-cls-f32', 'bert-mlm-f16', 'roberta-mlm-f32', 'distilbert-mlm-f32', 'vit-image-cls-f32', 'vit-no-qkv-bias-f32', 'roberta-token-cls-f32', 'distilbert-token-cls-f32'];
    const models: HfPretrainedModel[] = [];
    const runArguments: string[] = [];
    for (const fixture of fixtures) {
      const model = await load(join(HF_FIXTURES, fixture));
      // As if fine-tuned: every weight moves, so only a correct layout (transposes, names, tied decoder) matches.
      for (const weight of model.weights) tf.tidy(() => weight.variable.assign(tf.add(weight.variable, tf.randomNormal(weight.variable.shape, 0, 0.05, 'float32', 7))));
      const folder = join(scratch, `torch-${fixture}`);
      await savePretrained(model, folder);
      await writeFile(join(folder, 'inputs.json'), JSON.stringify((await hfReference(fixture)).inputs));
      models.push(model);
      runArguments.push(folder, join(folder, 'inputs.json'));
    }
    const lines = execFileSync(PYTHON, [SCRIPT, ...runArguments], { encoding: 'utf8' }).trim().split('\n');
    expect(lines.length).toBe(fixtures.length);
    for (const [i, fixture] of fixtures.entries()) {
      const torch = JSON.parse(lines[i]!) as Record<string, number[]>;
      const reference = await hfReference(fixture);
      const inputs = 'pixel_values' in reference.inputs ? { pixel_values: tf.tensor4d(reference.inputs.pixel_values as unknown as number[][][][]) } : textInputs(reference);
      const output = models[i]!.forward(inputs);
      await expectClose(output.logits!, torch.logits!, { atol: 1e-5, rtol: 1e-5, label: `${fixture} logits` });
      await expectClose(output.last_hidden_state, torch.last_hidden_state!, { atol: 1e-5, rtol: 1e-5, label: `${fixture} last_hidden_state` });
      tf.dispose([...outputTensors(output), ...(Object.values(inputs) as tf.Tensor[])]);
      models[i]!.dispose();
    }
  });
});
