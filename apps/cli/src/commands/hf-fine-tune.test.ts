// heed hf fine-tune on the tiny PyTorch-written BERT fixture (vocabulary of 40 word pieces, among
// them "good", "bad", "not", "very") with real labelled sentences: the UCI Sentiment Labelled
// Sentences (npm `sentiment`), those that contain "good" or "bad" so the tiny vocabulary sees them.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { fromPretrained, loadHfTokenizer, sentimentDataset, type HfModel } from '@heed/models';
import { folderSource, loadSentimentNode } from '@heed/models/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed } from '../__fixtures__/hub-server';
import { runHfFineTune, type HfFineTuneResults } from './hf-fine-tune';

const CHECKPOINT = join(HF_FIXTURES, 'bert-seq-cls-f32');
const DATA = fileURLToPath(new URL('../__fixtures__/sentiment-good-bad/', import.meta.url));
let directory: string;
let train: string;
let validation: string;
let validationRows: { text: string; label: string }[];

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-hf-fine-tune-'));
  const data = sentimentDataset(await loadSentimentNode());
  const rows = (split: typeof data.train, count: number) =>
    split.filter((example) => /\b(good|bad)\b/i.test(example.text)).slice(0, count).map((example) => ({ text: example.text, label: example.label === 1 ? 'positive' : 'negative' }));
  const trainRows = rows(data.train, 64);
  validationRows = rows(data.validation, 24); // the validation split has 20 such sentences
  // The committed files (which the tutorial's RESULTS.md row trains on) are exactly these sentences.
  train = join(DATA, 'train.jsonl');
  validation = join(DATA, 'validation.jsonl');
  expect(await readFile(train, 'utf8')).toBe(trainRows.map((row) => JSON.stringify(row)).join('\n'));
  expect(await readFile(validation, 'utf8')).toBe(validationRows.map((row) => JSON.stringify(row)).join('\n'));
  expect(trainRows.length).toBe(64);
  expect(new Set(trainRows.map((row) => row.label))).toEqual(new Set(['negative', 'positive']));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('heed hf fine-tune', () => {
  it('trains (loss goes down), reports accuracy/F1 each epoch and writes the HF layout + results.json that reload to the reported accuracy', async () => {
    const out = join(directory, 'out');
    const result = await runHeed(['hf', 'fine-tune', CHECKPOINT, '--train', train, '--validation', validation, '--epochs', '4', '--lr', '2e-3', '--batch-size', '8', '--out', out, '--backend', 'cpu', '--results', join(directory, 'RESULTS.md')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^fine-tuned BertForSequenceClassification on 64 examples for 4 epochs \(32 steps, [\d.]+ s\): train_loss [\d.]+, eval_loss [\d.]+, eval_accuracy [\d.]+, eval_f1 [\d.]+\n$/);
    expect(result.stderr).toContain('warning: --max-length 128 is longer than the model\'s 16 positions (max_position_embeddings in config.json): inputs are cut to 16 tokens');
    for (let epoch = 1; epoch <= 4; epoch++) expect(result.stderr).toMatch(new RegExp(`epoch ${epoch}/4: loss [\\d.]+, eval_loss [\\d.]+, eval_accuracy [\\d.]+, eval_f1 [\\d.]+`));

    expect((await readdir(out)).sort()).toEqual(['config.json', 'model.safetensors', 'results.json', 'tokenizer.json', 'tokenizer_config.json']);
    const table = await readFile(join(directory, 'RESULTS.md'), 'utf8');
    expect(table).toContain('<!-- results:hf-fine-tune:start -->');
    expect(table).toMatch(/\| bert-seq-cls-f32 \(BertForSequenceClassification\) \| 64 \/ 20 \| 4 \(32\) \| .* \| cpu \| `heed hf fine-tune .*bert-seq-cls-f32 --train .*train.jsonl --validation .*validation.jsonl --epochs 4 --lr 2e-3 --batch-size 8 --out .* --backend cpu` \| <!-- row:bert-seq-cls-f32 -->/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as HfFineTuneResults;
    expect(results).toMatchObject({ architecture: 'BertForSequenceClassification', train_samples: 64, eval_samples: validationRows.length, epochs: 4, steps: 32, max_length: 16, labels: ['negative', 'neutral', 'positive'], f1_average: 'macro' });
    expect(results.history).toHaveLength(4);
    // 64 examples in batches of 8 with dropout: the epoch means are noisy (the last is not always the lowest), so the claim is only first > last.
    expect(results.history[3]!.loss).toBeLessThan(results.history[0]!.loss);
    expect(results.history[3]!.eval_loss!).toBeLessThan(results.history[0]!.eval_loss!);
    // Linear decay from 2e-3 to 0 at step 32, no warm-up: each epoch's last update (step 8e - 1) used 2e-3 · (32 - (8e - 1)) / 32.
    expect(results.history.map((entry) => entry.learning_rate)).toEqual([25, 17, 9, 1].map((left) => expect.closeTo((2e-3 * left) / 32, 15)));

    // The saved checkpoint is the trained model: reloaded, it scores the validation set as reported.
    const model = await fromPretrained<HfModel>(folderSource(out));
    const tokenizer = await loadHfTokenizer(folderSource(out));
    const inputs = tokenizer.toTensors(tokenizer.encode(validationRows.map((row) => row.text)));
    const { logits } = model.forward(inputs);
    const predicted = Array.from(await tf.argMax(logits!, -1).data());
    const correct = predicted.filter((label, index) => label === (validationRows[index]!.label === 'positive' ? 2 : 0)).length;
    expect(correct / validationRows.length).toBeCloseTo(results.eval_accuracy!, 6); // tensorAccuracy is a float32 mean
    tf.dispose([inputs, logits!]);
    model.dispose();
  });

  it('runs on input_ids lines, holds out 10% without --validation, and repeats exactly with the same seed', async () => {
    const tokenizer = await loadHfTokenizer(folderSource(CHECKPOINT));
    const rows = (await readFile(train, 'utf8')).split('\n').map((line) => JSON.parse(line) as { text: string; label: string });
    const ids = join(directory, 'ids.jsonl');
    await writeFile(ids, rows.map((row) => JSON.stringify({ input_ids: tokenizer.encode(row.text, { maxLength: 16 }).input_ids[0], label: row.label === 'positive' ? 2 : 0 })).join('\n'));
    const quiet = { log: () => undefined };
    const first = await runHfFineTune([CHECKPOINT, '--train', ids, '--epochs', '1', '--lr', '1e-3', '--max-length', '16', '--out', join(directory, 'ids-1'), '--backend', 'cpu'], quiet);
    const again = await runHfFineTune([CHECKPOINT, '--train', ids, '--epochs', '1', '--lr', '1e-3', '--max-length', '16', '--out', join(directory, 'ids-2'), '--backend', 'cpu'], quiet);
    expect(first).toMatchObject({ train_samples: 58, eval_samples: 6, validation: 'a seeded 10% of --train (6 examples)', warnings: [] });
    expect({ ...again, train_runtime: 0 }).toEqual({ ...first, train_runtime: 0 });
    expect(await readFile(join(directory, 'ids-2', 'model.safetensors'))).toEqual(await readFile(join(directory, 'ids-1', 'model.safetensors')));
  });

  it('--save-steps writes checkpoint-<step>/ folders, and --resume-from-checkpoint / --resume continue the run bit for bit', async () => {
    const quiet = { log: () => undefined };
    const base = [CHECKPOINT, '--train', train, '--validation', validation, '--epochs', '2', '--lr', '2e-3', '--batch-size', '8', '--backend', 'cpu'];
    const whole = join(directory, 'resume-whole');
    const straight = await runHfFineTune([...base, '--out', whole, '--save-steps', '5'], quiet);
    expect(straight.steps).toBe(16);
    expect(straight.checkpoints).toEqual(['checkpoint-5', 'checkpoint-10', 'checkpoint-15']);
    expect((await readdir(whole)).sort()).toEqual(['checkpoint-10', 'checkpoint-15', 'checkpoint-5', 'config.json', 'model.safetensors', 'results.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect((await readdir(join(whole, 'checkpoint-10'))).sort()).toEqual(['config.json', 'heed-trainer', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'trainer_state.json']);
    const state = JSON.parse(await readFile(join(whole, 'checkpoint-10', 'trainer_state.json'), 'utf8')) as { epoch: number; global_step: number; log_history: unknown[] };
    expect(state).toMatchObject({ epoch: 1.25, global_step: 10, log_history: [straight.history[0]] });
    // A checkpoint folder is an HF checkpoint of the model at that step.
    const atTen = await fromPretrained<HfModel>(folderSource(join(whole, 'checkpoint-10')));
    expect(atTen.architecture).toBe('BertForSequenceClassification');
    atTen.dispose();

    // Mid-epoch 2 (step 10 of 16) into another folder: the same weights, losses and metrics as the run that never stopped.
    const resumed = await runHfFineTune([...base, '--out', join(directory, 'resume-part'), '--resume-from-checkpoint', join(whole, 'checkpoint-10')], quiet);
    expect(resumed.resumed_from).toBe(join(whole, 'checkpoint-10'));
    expect(resumed.history).toEqual(straight.history);
    expect({ ...resumed, train_runtime: 0, resumed_from: null, checkpoints: [] }).toEqual({ ...straight, train_runtime: 0, checkpoints: [] });
    expect(await readFile(join(directory, 'resume-part', 'model.safetensors'))).toEqual(await readFile(join(whole, 'model.safetensors')));
    // --resume takes the latest checkpoint in --out (step 15: the last step of epoch 2 left).
    const latest = await runHfFineTune([...base, '--out', whole, '--resume'], quiet);
    expect(latest.resumed_from).toBe(join(whole, 'checkpoint-15'));
    expect(latest.history).toEqual(straight.history);
    expect(await readFile(join(whole, 'model.safetensors'))).toEqual(await readFile(join(directory, 'resume-part', 'model.safetensors')));

    await expect(runHfFineTune([...base.map((arg) => (arg === '2e-3' ? '1e-3' : arg)), '--out', join(directory, 'resume-bad'), '--resume-from-checkpoint', join(whole, 'checkpoint-10')], quiet)).rejects.toThrow(
      `heed hf fine-tune: --resume-from-checkpoint ${join(whole, 'checkpoint-10')} was trained with learning_rate 0.002 but this run has learning_rate 0.001; resume with the same checkpoint, data and options`,
    );
    await expect(runHfFineTune([...base, '--out', join(directory, 'resume-none'), '--resume'], quiet)).rejects.toThrow(`--resume found no checkpoint-<step> folder in --out ${join(directory, 'resume-none')}`);
    await expect(runHfFineTune([...base, '--out', join(directory, 'resume-none'), '--resume-from-checkpoint', directory], quiet)).rejects.toThrow(`cannot read ${join(directory, 'trainer_state.json')} (ENOENT)`);
    await expect(runHfFineTune([...base, '--out', join(directory, 'resume-none'), '--save-steps', '0'], quiet)).rejects.toThrow('--save-steps must be an integer in [1, Infinity]; got "0"');
  });

  it('names the file, the line and the problem for bad input', async () => {
    const bad = join(directory, 'bad.jsonl');
    const run = (file: string, text: string, extra: string[] = [], checkpoint = CHECKPOINT) =>
      writeFile(file, text).then(() => runHfFineTune([checkpoint, '--train', file, '--out', join(directory, 'bad-out'), '--backend', 'cpu', ...extra], { log: () => undefined }));
    await expect(run(bad, '{"text": "good", "label": "great"}')).rejects.toThrow(`--train ${bad} line 1: label "great" is not in config.json's label2id ("negative", "neutral", "positive"); use those names or class ids`);
    await expect(run(bad, '{"text": "good", "label": 0}\n{"txt": "x", "label": 1}')).rejects.toThrow(`--train ${bad} line 2: expected "text" (a string) or "input_ids" (non-negative integers)`);
    await expect(run(bad, '{"text": "good", "label": 0}\nnot json')).rejects.toThrow(`--train ${bad} line 2 is not JSON`);
    await expect(run(bad, '{"text": "good", "label": 0}', [], join(HF_FIXTURES, 'roberta-seq-cls-f32'))).rejects.toThrow(`--train ${bad} line 1 gives "text" but the checkpoint has no tokenizer.json`);
    await expect(runHfFineTune([CHECKPOINT, '--train', bad])).rejects.toThrow('heed hf fine-tune: --out is required');
    await expect(run(bad, '{"pixel_values": [], "label": 0}', [], join(HF_FIXTURES, 'vit-image-cls-f32'))).rejects.toThrow('config.json is a vit model; fine-tune trains text sequence classifiers of bert, roberta, distilbert');
    expect(await readdir(directory)).not.toContain('bad-out'); // nothing written on bad input
  });
});
