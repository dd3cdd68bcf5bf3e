// scripts/pretrain end to end: a WordPiece vocabulary trained by @heed/tokenizers, two gloo
// processes under torchrun (DistributedDataParallel) for a few masked-LM steps, and heed's
// fromPretrained reading the written Hugging Face folder with PyTorch's logits.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { Tokenizer } from '@heed/tokenizers';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfPretrainedModel } from '../hf/hf-pretrained-model';
import { folderSource } from '../hf/sources/folder-source-node';

const PYTHON = '/usr/bin/python3';
const TORCHRUN = '/usr/bin/torchrun';
const torchMissing = !existsSync(TORCHRUN) || spawnSync(PYTHON, ['-c', 'import torch, torch.distributed'], { stdio: 'ignore' }).status !== 0;
const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/pretrain');

describe.skipIf(torchMissing)('scripts/pretrain: masked-LM pretraining under torchrun, loaded by heed', () => {
  let work: string;
  let data: string;
  let out: string;
  let log: string;

  beforeAll(async () => {
    await initBackend({ backend: 'cpu' });
    work = await mkdtemp(join(tmpdir(), 'heed-pretrain-'));
    data = join(work, 'data');
    out = join(work, 'out');
    execFileSync(process.execPath, [join(SCRIPTS, 'train_tokenizer.mjs'), data, '--vocab-size', '300', '--sentences', '400'], { encoding: 'utf8' });
    // Debian's torchrun (1.13 on Python 3.11) needs explicit --redirects/--tee values.
    log = execFileSync(
      'nice',
      ['-n', '10', TORCHRUN, '--redirects', '1', '--tee', '1', '--nproc_per_node=2', '--master_port', String(29500 + (process.pid % 1000)),
        join(SCRIPTS, 'pretrain_bert.py'), '--data', data, '--out', out, '--steps', '4', '--log-every', '1', '--batch-size', '8',
        '--hidden-size', '32', '--num-attention-heads', '2', '--intermediate-size', '64', '--max-length', '24', '--save-replicas'],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }, 240_000); // ~10 s on 2 idle cores; minutes when the machine is shared

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('writes a WordPiece tokenizer.json that heed loads and that encodes [CLS] … [SEP]', async () => {
    const json = JSON.parse(await readFile(join(out, 'tokenizer.json'), 'utf8')) as { model: { type: string; vocab: Record<string, number> } };
    expect(json.model.type).toBe('WordPiece');
    expect(Object.keys(json.model.vocab)).toHaveLength(300);
    const tokenizer = Tokenizer.fromJSON(json);
    const ids = tokenizer.encode('the film was good').ids;
    expect(ids[0]).toBe(2);
    expect(ids.at(-1)).toBe(3);
  });

  it('runs 2 processes: both replicas hold the same weights after the steps, and training moved them', async () => {
    const [first, second] = await Promise.all([readFile(join(out, 'replica-0.safetensors')), readFile(join(out, 'replica-1.safetensors'))]);
    expect(first.length).toBeGreaterThan(1000);
    expect(first.equals(second)).toBe(true);
    const state = JSON.parse(await readFile(join(out, 'pretrain_log.json'), 'utf8')) as { world_size: number; steps: number; curve: Array<{ loss: number }> };
    expect(state.world_size).toBe(2);
    expect(state.curve).toHaveLength(4);
    for (const { loss } of state.curve) expect(Number.isFinite(loss)).toBe(true);
    expect(log).toContain('"step": 4');
  });

  it('fromPretrained loads the checkpoint as BertForMaskedLM with the logits of PyTorch (1e-5)', async () => {
    const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as { architectures: string[]; vocab_size: number };
    expect(config.architectures).toEqual(['BertForMaskedLM']);
    const rows = [[2, 17, 4, 40, 3], [2, 120, 99, 4, 3]];
    const reference = JSON.parse(execFileSync(PYTHON, [join(SCRIPTS, 'mlm_logits.py'), out, JSON.stringify(rows)], { encoding: 'utf8' })) as number[][][];
    const model = await fromPretrained<HfPretrainedModel>(folderSource(out), { onWarning: () => undefined });
    expect(model.constructor.name).toBe('BertForMaskedLM');
    const inputIds = tf.tensor2d(rows, [2, 5], 'int32');
    const output = model.forward({ input_ids: inputIds });
    expect(output.logits!.shape).toEqual([2, 5, config.vocab_size]);
    await expectClose(await output.logits!.data(), reference.flat(2), { atol: 1e-5, rtol: 1e-5, label: 'MLM logits' });
    tf.dispose([inputIds, ...Object.values(output).flat().filter((t): t is tf.Tensor => t instanceof tf.Tensor)]);
  });

  it('the masked-positions head gives BertForMaskedLM\'s loss over the full logits (the value PyTorch\'s reference model computes)', () => {
    const check = `
import sys, torch
sys.argv = ['x']
sys.path.insert(0, ${JSON.stringify(SCRIPTS)})
import pretrain_bert as p
torch.manual_seed(0)
config = {'vocab_size': 50, 'hidden_size': 16, 'num_hidden_layers': 2, 'num_attention_heads': 2, 'intermediate_size': 32, 'hidden_act': 'gelu',
          'hidden_dropout_prob': 0.1, 'attention_probs_dropout_prob': 0.1, 'max_position_embeddings': 16, 'type_vocab_size': 2, 'initializer_range': 0.02,
          'layer_norm_eps': 1e-12, 'pad_token_id': 0, 'position_embedding_type': 'absolute'}
model = p.ref.BertForMaskedLM(config)
p.init_weights(model, 0.02)
model.eval()
ids = torch.randint(5, 50, (3, 10))
attention = torch.ones_like(ids)
attention[2, 7:] = 0
special = torch.zeros_like(ids, dtype=torch.bool)
special[:, 0] = True
inputs, labels = p.mask_tokens(ids, special, 50, 4, 0.3, torch.Generator().manual_seed(1))
full = model(inputs, attention, None, labels)['loss']
masked = p.MaskedPositionsMLM(model)(inputs, attention, labels)
print(float(full), float(masked), int((labels != -100).sum()))
`;
    const [full, masked, chosen] = execFileSync(PYTHON, ['-c', check], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split(' ').map(Number);
    expect(chosen).toBeGreaterThan(0);
    expect(Number.isFinite(full)).toBe(true);
    expect(Math.abs(masked! - full!)).toBeLessThan(1e-5);
  }, 180_000);

  it('--pack joins consecutive sentences into rows of at most --max-length tokens ([CLS] a [SEP] b [SEP]), cutting none but over-long ones', () => {
    const check = `
import sys
sys.argv = ['x']
sys.path.insert(0, ${JSON.stringify(SCRIPTS)})
import pretrain_bert as p
print(p.pack_rows([[2, 5, 6, 3], [2, 7, 3], [2, 8, 9, 10, 11, 3], [2, 12, 3]], 7, 2, 3))
print(p.pack_rows([[2, 5, 6, 7, 8, 9, 10, 11, 3]], 5, 2, 3))
`;
    const [packed, cut] = execFileSync(PYTHON, ['-c', check], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } }).trim().split('\n');
    expect(JSON.parse(packed!)).toEqual([[2, 5, 6, 3, 7, 3], [2, 8, 9, 10, 11, 3], [2, 12, 3]]);
    expect(JSON.parse(cut!)).toEqual([[2, 5, 6, 7, 3]]);
  }, 60_000);

  it('--snapshot-every writes loadable snapshot-<step> folders while it runs; --pack rows feed the same training', async () => {
    const snap = join(work, 'snap');
    execFileSync('nice', ['-n', '10', PYTHON, join(SCRIPTS, 'pretrain_bert.py'), '--data', data, '--out', snap, '--steps', '100000', '--time-budget', '3', '--snapshot-every', '1',
      '--log-every', '1000000', '--pack', '--batch-size', '4', '--hidden-size', '16', '--num-attention-heads', '2', '--intermediate-size', '32', '--num-hidden-layers', '1', '--max-length', '32'],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const { readdir } = await import('node:fs/promises');
    const snapshots = (await readdir(snap)).filter((name) => name.startsWith('snapshot-'));
    expect(snapshots.length).toBeGreaterThan(0);
    const first = join(snap, snapshots.sort((a, b) => Number(a.slice(9)) - Number(b.slice(9)))[0]!);
    const state = JSON.parse(await readFile(join(first, 'pretrain_log.json'), 'utf8')) as { steps: number; packed: boolean };
    expect(state.packed).toBe(true);
    expect(Number(first.split('snapshot-')[1])).toBe(state.steps);
    const model = await fromPretrained<HfPretrainedModel>(folderSource(first), { onWarning: () => undefined });
    expect(model.constructor.name).toBe('BertForMaskedLM');
    model.dispose();
    const final = JSON.parse(await readFile(join(snap, 'pretrain_log.json'), 'utf8')) as { steps: number };
    expect(final.steps).toBeGreaterThanOrEqual(state.steps);
  }, 180_000);

  it('--time-budget stops on the clock: fewer steps than --steps, the seconds of the budget, the learning rate decayed to ~0', async () => {
    const timed = join(work, 'timed');
    execFileSync('nice', ['-n', '10', PYTHON, join(SCRIPTS, 'pretrain_bert.py'), '--data', data, '--out', timed, '--steps', '100000', '--time-budget', '3', '--log-every', '1000000',
      '--batch-size', '4', '--hidden-size', '16', '--num-attention-heads', '2', '--intermediate-size', '32', '--num-hidden-layers', '1', '--max-length', '16'],
    { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const state = JSON.parse(await readFile(join(timed, 'pretrain_log.json'), 'utf8')) as { steps: number; max_steps: number; time_budget: number; seconds: number; curve: Array<{ step: number; lr: number }> };
    expect(state.time_budget).toBe(3);
    expect(state.max_steps).toBe(100000);
    expect(state.steps).toBeGreaterThan(1);
    expect(state.steps).toBeLessThan(100000);
    expect(state.seconds).toBeGreaterThanOrEqual(3);
    expect(state.curve.at(-1)!.step).toBe(state.steps);
    expect(state.curve.at(-1)!.lr).toBeLessThan(5e-4 * 0.2);
    const bad = spawnSync(PYTHON, [join(SCRIPTS, 'pretrain_bert.py'), '--data', data, '--out', timed, '--time-budget', '0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--time-budget must be positive, got 0.0');
  }, 180_000);
});
