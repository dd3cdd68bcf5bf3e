/**
 * One fine-tuning step of a BERT-mini-shaped `BertForSequenceClassification` (4 layers, hidden
 * 256, 4 heads, FF 1024, vocab 30522; random weights written with `savePretrained`) at batch 8 ×
 * sequence 128: forward, softmax cross-entropy, gradients of every weight, SGD lr 1e-3 (eval mode,
 * no dropout, so both sides compute the same step), heed on wasm against PyTorch 1.13
 * (hf_bert_train_peer.py on the same model.safetensors) in the same run; medians of 3 steps after
 * one warm-up. A benchmark, never a test (not in CI): `pnpm --filter @heed/models bench:hf-train`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { BertForSequenceClassification } from '../src/bert/bert-for-sequence-classification';
import { parseHfConfig } from '../src/hf/config/hf-architectures';
import type { HfBertConfig } from '../src/hf/config/hf-bert-config';
import { savePretrained } from '../src/hf/save-pretrained-node';

const SEQ = 128;
const BATCH = 8;
const reps = 3;
const here = fileURLToPath(new URL('.', import.meta.url));
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const report = await initBackend({ backend: 'wasm' });
console.log(`# BERT-mini train step, batch ${BATCH} × seq ${SEQ}; wasm (${report.simdKernels?.build ?? 'no'} SIMD kernels); load ${load()}`);
const config = parseHfConfig({ model_type: 'bert', architectures: ['BertForSequenceClassification'], hidden_size: 256, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 1024, id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } }) as HfBertConfig;
const model = new BertForSequenceClassification(config);
const dir = mkdtempSync(join(tmpdir(), 'heed-hf-train-'));
try {
  await savePretrained(model, dir);
  const ids = Array.from({ length: BATCH }, (_, row) => Array.from({ length: SEQ }, (_, i) => (101 + row * 31 + i * 7) % config.vocab_size));
  const inputs = { input_ids: tf.tensor2d(ids, [BATCH, SEQ], 'int32'), attention_mask: tf.ones([BATCH, SEQ], 'int32') as tf.Tensor2D, token_type_ids: tf.zeros([BATCH, SEQ], 'int32') as tf.Tensor2D };
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, row) => row % 2), 'int32'), 2);
  const optimizer = tf.train.sgd(1e-3);
  const variables = model.weights.filter((w) => w.trainable).map((w) => w.variable);
  const losses: number[] = [];
  const step = async () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.forward(inputs).logits!) as tf.Scalar, true, variables)!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  };
  await step();
  const times: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  const heed = times.sort((a, b) => a - b)[1]!;
  console.log(`heed: ${heed.toFixed(0)} ms, first loss ${losses[0]!.toFixed(6)} (load ${load()})`);
  const torch = spawnSync('/usr/bin/python3', [join(here, 'hf_bert_train_peer.py'), dir, String(reps), String(BATCH)], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' } });
  if (torch.status === 0) {
    const out = JSON.parse(torch.stdout.trim().split('\n').at(-1)!) as { ms: number; loss: number };
    console.log(`PyTorch 1.13: ${out.ms.toFixed(0)} ms, first loss ${out.loss.toFixed(6)}; heed ÷ PyTorch ${(heed / out.ms).toFixed(1)}x (load ${load()})`);
  } else console.log(`PyTorch skipped: ${torch.stderr.trim().split('\n').at(-1)}`);
  tf.dispose([inputs.input_ids, inputs.attention_mask, inputs.token_type_ids, labels]);
  optimizer.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
  model.dispose();
}
