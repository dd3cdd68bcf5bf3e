/**
 * The bert-base checkpoint every bert-base forward benchmark times (Node: hf-bert-peers.ts;
 * Chromium: hf-bert-chromium.ts): a `BertForSequenceClassification` of bert-base's shape (12
 * layers, hidden 768, 12 heads, FF 3072, vocab 30522, 2 labels; random weights) written with
 * heed's `savePretrained`, and PyTorch 1.13's pass over the same folder (hf_bert_peer.py), which
 * times PyTorch and exports the same weights with torch.onnx for the onnxruntime peers. Node only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BertForSequenceClassification } from '../src/bert/bert-for-sequence-classification';
import { parseHfConfig } from '../src/hf/config/hf-architectures';
import type { HfBertConfig } from '../src/hf/config/hf-bert-config';
import { savePretrained } from '../src/hf/save-pretrained-node';

/** Debian's Python with torch 1.13 (not the pyenv python3 on PATH). */
export const PYTHON = '/usr/bin/python3';
const here = fileURLToPath(new URL('.', import.meta.url));

/** The 1/5/15-minute load averages, e.g. "1.20 0.80 0.55". */
export const loadAverage = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** bert-base's config (HF defaults) with a 2-label sequence-classification head. */
export function bertBaseConfig(): HfBertConfig {
  return parseHfConfig({ model_type: 'bert', architectures: ['BertForSequenceClassification'], id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } }) as HfBertConfig;
}

/** Builds the random bert-base model and writes it to `dir` (config.json + model.safetensors); the caller disposes the model. */
export async function writeBertBaseCheckpoint(dir: string): Promise<{ model: BertForSequenceClassification; config: HfBertConfig }> {
  const config = bertBaseConfig();
  const model = new BertForSequenceClassification(config);
  await savePretrained(model, dir);
  return { model, config };
}

/** What hf_bert_peer.py printed: PyTorch medians per batch (ms) and the logits of the first batch. */
export interface TorchPeerResult {
  times: Record<string, number>;
  logits: number[];
}

/**
 * Runs hf_bert_peer.py on `dir` (2 threads, OMP_WAIT_POLICY=PASSIVE): times PyTorch's forward for
 * each batch and writes the torch.onnx export (opset 14, dynamic batch) to `onnxPath`.
 * @returns the result, or why PyTorch could not run (then no ONNX file exists either).
 */
export function runTorchPeer(dir: string, onnxPath: string, reps: number, batches: readonly number[]): TorchPeerResult | string {
  if (!existsSync(PYTHON)) return `${PYTHON} absent`;
  const torch = spawnSync(PYTHON, [join(here, 'hf_bert_peer.py'), dir, onnxPath, String(reps), ...batches.map(String)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OMP_NUM_THREADS: '2' },
    maxBuffer: 1 << 26,
  });
  if (torch.status !== 0) return torch.stderr.trim().split('\n').at(-1) ?? `exit status ${torch.status}`;
  return JSON.parse(torch.stdout.trim().split('\n').at(-1)!) as TorchPeerResult;
}
