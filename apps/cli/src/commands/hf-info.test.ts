// heed hf info on the PyTorch-written fixture checkpoints, from their folders and from a local
// server laid out like the Hub. Parameters are checked against PyTorch's own count: the fixtures'
// gradients.safetensors holds one gradient per trainable parameter.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSafetensorsNode } from '@heed/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed, startHubServer, type HubServer } from '../__fixtures__/hub-server';
import type { HfInfoReport } from './hf-info';

const names = readdirSync(HF_FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer();
});
afterAll(() => hub.close());

async function torchParameterCount(name: string): Promise<number | undefined> {
  // Recorded by make_hf_fixtures.py where present (it counts fixed tables such as DistilBERT's sinusoidal positions, which get no gradient).
  const recorded = (JSON.parse(readFileSync(join(HF_FIXTURES, name, 'reference.json'), 'utf8')) as { num_parameters?: number }).num_parameters;
  if (recorded !== undefined) return recorded;
  const path = join(HF_FIXTURES, name, 'gradients.safetensors');
  if (!readdirSync(join(HF_FIXTURES, name)).includes('gradients.safetensors')) return undefined;
  const gradients = await openSafetensorsNode(path);
  const total = gradients.names.reduce((sum, tensor) => sum + gradients.entry(tensor)!.shape.reduce((size, dim) => size * dim, 1), 0);
  await gradients.close();
  return total;
}

describe('heed hf info', () => {
  it.each(names)('%s: architecture, sizes, PyTorch\'s parameter count, dtype, files, tokenizer', async (name) => {
    const result = await runHeed(['hf', 'info', join(HF_FIXTURES, name), '--json']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as HfInfoReport;
    const config = JSON.parse(readFileSync(join(HF_FIXTURES, name, 'config.json'), 'utf8')) as Record<string, unknown> & { architectures: string[] };
    expect(report.architecture).toBe(config.architectures[0]);
    expect(report.model_type).toBe(config.model_type);
    expect(report.num_hidden_layers).toBe(config.num_hidden_layers ?? config.n_layers);
    expect(report.hidden_size).toBe(config.hidden_size ?? config.dim);
    expect(report.dtype).toEqual([name.split('-').pop()!.toUpperCase()]);
    const torch = await torchParameterCount(name);
    if (torch !== undefined) expect(report.parameters).toBe(torch);
    expect(report.files.map((file) => file.name)).toEqual(readdirSync(join(HF_FIXTURES, name)).sort());
    const hasTokenizer = readdirSync(join(HF_FIXTURES, name)).includes('tokenizer.json');
    expect(report.tokenizer).toEqual(hasTokenizer ? { model: 'WordPiece', vocab_size: 40, model_max_length: 16, max_length: 16 } : null);
    if (config.id2label) expect(report.labels).toEqual(Object.values(config.id2label));
  });

  it('prints the text form', async () => {
    const result = await runHeed(['hf', 'info', join(HF_FIXTURES, 'bert-seq-cls-f32')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('architecture  BertForSequenceClassification (model_type bert)\n');
    expect(result.stdout).toContain('parameters    10,291 (10.3K) in 42 tensors\n');
    expect(result.stdout).toContain('labels        3: negative, neutral, positive\n');
    expect(result.stdout).toContain('tokenizer     WordPiece, 40 tokens, model_max_length 16 (texts cut to 16)\n');
  });

  it('from a URL in the Hub layout: the same report, with only the safetensors header downloaded', async () => {
    const local = JSON.parse((await runHeed(['hf', 'info', join(HF_FIXTURES, 'bert-mlm-f16'), '--json'])).stdout) as HfInfoReport;
    hub.sent.clear();
    const result = await runHeed(['hf', 'info', hub.base('bert-mlm-f16'), '--json']);
    expect(result.status, result.stderr).toBe(0);
    const remote = JSON.parse(result.stdout) as HfInfoReport;
    expect({ ...remote, location: '', files: [] }).toEqual({ ...local, location: '', files: [] });
    expect(remote.location).toBe(hub.base('bert-mlm-f16'));
    expect(remote.files).toEqual(local.files.filter((file) => ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].includes(file.name)));
    const header = readFileSync(join(HF_FIXTURES, 'bert-mlm-f16', 'model.safetensors')).readUInt32LE(0);
    expect(hub.sent.get('model.safetensors')).toBe(8 + header);
  });

  it('an unreachable file names the URL and the HTTP status; a missing folder and a bad argument are clear errors', async () => {
    const missing = await runHeed(['hf', 'info', hub.base('no-such-model')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(`${hub.base('no-such-model')}/config.json: HTTP 404 Not Found`);
    const broken = await runHeed(['hf', 'info', `${hub.origin}/broken/resolve/main`]);
    expect(broken.stderr.trim()).toBe(`${hub.origin}/broken/resolve/main/config.json: HTTP 500 Internal Server Error`);
    const folder = await runHeed(['hf', 'info', join(HF_FIXTURES, 'nope')]);
    expect(folder.stderr).toContain(`heed hf info: ${join(HF_FIXTURES, 'nope')}: no such folder`);
    expect((await runHeed(['hf', 'info', join(HF_FIXTURES, 'vit-image-cls-f32'), '--attentions'])).stderr).toContain('heed hf info: unknown argument "--attentions"');
    expect((await runHeed(['hf', 'frobnicate'])).stderr).toContain('heed hf: unknown command "frobnicate"');
  });
});
