// savePretrained for GPT-2: the HF layout (transformer.* names, Conv1D (in, out) kept, c_attn packed,
// the tied lm_head stored once as wte, no attn.bias buffers) that heed and the PyTorch reference
// (scripts/hf/run_gpt2_checkpoint.py over gpt2_reference.py) load with identical logits.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfPretrainedModel } from '../hf/hf-pretrained-model';
import { fileByteSource } from '../hf/safetensors/safetensors-node';
import { SafetensorsReader } from '../hf/safetensors/safetensors-reader';
import { savePretrained } from '../hf/save-pretrained-node';
import { folderSource } from '../hf/sources/folder-source-node';
import { disposeInputs, outputTensors, textInputs } from '../hf/testing/hf-fixtures';
import { GPT2_FIXTURES, gpt2Reference } from './testing/gpt2-fixtures';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'hf', 'run_gpt2_checkpoint.py');
const PYTHON = '/usr/bin/python3';
const torchMissing = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0;
const FIXTURES = [
  ['gpt2-lm-f32', 'GPT2LMHeadModel'],
  ['gpt2-base-f16', 'GPT2Model'],
] as const;

let scratch: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  scratch = await mkdtemp(join(tmpdir(), 'heed-gpt2-save-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

const load = (folder: string) => fromPretrained<HfPretrainedModel>(folderSource(folder), { onWarning: () => undefined });

/** As if fine-tuned: every weight moves, so only a correct layout (names, no transposes, the tie) matches. */
function perturb(model: HfPretrainedModel): void {
  for (const weight of model.weights) tf.tidy(() => weight.variable.assign(tf.add(weight.variable, tf.randomNormal(weight.variable.shape, 0, 0.05, 'float32', 5))));
}

describe('savePretrained (GPT-2)', () => {
  it.each(FIXTURES)('%s: writes %s in the HF layout, and heed loads it back to identical weights and outputs', async (fixture, architecture) => {
    const model = await load(join(GPT2_FIXTURES, fixture));
    perturb(model);
    const folder = join(scratch, fixture);
    expect(await savePretrained(model, folder)).toEqual(['model.safetensors', 'config.json']);
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    const gpt2 = model.config as HfGpt2Config;
    expect(config).toMatchObject({ architectures: [architecture], model_type: 'gpt2', torch_dtype: 'float32', n_inner: gpt2.n_inner ?? null, layer_norm_epsilon: gpt2.layer_norm_epsilon });
    const reader = await SafetensorsReader.open(await fileByteSource(join(folder, 'model.safetensors')));
    const prefix = architecture === 'GPT2LMHeadModel' ? 'transformer.' : '';
    expect(reader.names).toContain(`${prefix}h.0.attn.c_attn.weight`);
    expect(reader.entry(`${prefix}h.0.attn.c_attn.weight`)!.shape).toEqual([gpt2.n_embd, 3 * gpt2.n_embd]); // Conv1D (in, out)
    expect(reader.names.filter((name) => /lm_head|\.attn\.(masked_)?bias$/.test(name))).toEqual([]); // the tie is wte itself; no buffers
    expect(reader.names.length).toBe(model.weights.length);
    await reader.close();
    const again = await load(folder);
    expect(again.architecture).toBe(architecture);
    for (const [i, weight] of model.weights.entries()) expect(Array.from(await again.weights[i]!.variable.data()), weight.name).toEqual(Array.from(await weight.variable.data()));
    const inputs = textInputs(await gpt2Reference(fixture));
    const [first, second] = [model.forward(inputs), again.forward(inputs)];
    const key = first.logits ? 'logits' : 'last_hidden_state';
    expect(Array.from(await second[key]!.data())).toEqual(Array.from(await first[key]!.data()));
    tf.dispose([...outputTensors(first), ...outputTensors(second)]);
    disposeInputs(inputs);
    model.dispose();
    again.dispose();
  });

  it.skipIf(torchMissing)('PyTorch (gpt2_reference.py) loads what heed saved after changing every weight, strictly, and gives heed\'s logits (1e-5)', async () => {
    const models: HfPretrainedModel[] = [];
    const runArguments: string[] = [];
    for (const [fixture] of FIXTURES) {
      const model = await load(join(GPT2_FIXTURES, fixture));
      perturb(model);
      const folder = join(scratch, `torch-${fixture}`);
      await savePretrained(model, folder);
      await writeFile(join(folder, 'inputs.json'), JSON.stringify((await gpt2Reference(fixture)).inputs));
      models.push(model);
      runArguments.push(folder, join(folder, 'inputs.json'));
    }
    const lines = execFileSync(PYTHON, [SCRIPT, ...runArguments], { encoding: 'utf8' }).trim().split('\n');
    expect(lines.length).toBe(FIXTURES.length);
    for (const [i, [fixture]] of FIXTURES.entries()) {
      const torch = JSON.parse(lines[i]!) as { logits?: number[]; last_hidden_state?: number[]; shape: number[] };
      const inputs = textInputs(await gpt2Reference(fixture));
      const output = models[i]!.forward(inputs);
      const key = output.logits ? 'logits' : 'last_hidden_state';
      expect(torch.shape).toEqual(output[key]!.shape);
      await expectClose(output[key]!, torch[key]!, { atol: 1e-5, rtol: 1e-5, label: `${fixture} ${key}` });
      tf.dispose(outputTensors(output));
      disposeInputs(inputs);
      models[i]!.dispose();
    }
  });
});
