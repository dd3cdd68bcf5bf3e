// scripts/pretrain/fine_tune_sentiment.mjs end to end on a tiny BERT (the bert-mlm-f16 fixture: a BertForMaskedLM
// folder with tokenizer.json and no vocab.txt): the domain-adaptive masked-LM epochs (--mlm-epochs) on the training
// texts, then sequence classification with the best validation epoch kept. Checks what results.json records against
// the written folders: the MLM losses per epoch (falling), the adapted checkpoint, the kept epoch's validation
// accuracy and the test accuracy of the written weights, re-measured here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import { loadHfTokenizer } from '../hf/preprocessing/load-hf-tokenizer';
import { folderSource } from '../hf/sources/folder-source-node';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(HERE, '../../scripts/pretrain/fine_tune_sentiment.mjs');
const CHECKPOINT = join(HERE, '../hf/__fixtures__/bert-mlm-f16');
const TEXTS = join(HERE, '../../../../apps/cli/src/__fixtures__/sentiment-good-bad');

type Results = {
  mlm?: { epochs: number; dup: number; rows: number; steps: number; loss: number[] };
  best_epoch: number;
  eval_accuracy: number;
  validation_accuracy_check: number;
  test_accuracy: number;
  history: { epoch: number; eval_accuracy: number }[];
  tensors_after: number;
};

/** Bytes of each tensor of a safetensors file, by name. */
async function tensors(path: string): Promise<Map<string, Buffer>> {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, { data_offsets: [number, number] }>;
  return new Map(Object.entries(header).filter(([key]) => key !== '__metadata__').map(([key, entry]) => [key, bytes.subarray(8 + length + entry.data_offsets[0], 8 + length + entry.data_offsets[1])]));
}

describe('scripts/pretrain/fine_tune_sentiment.mjs', () => {
  let work: string;
  let data: string;
  const run = (out: string, extra: string[]) =>
    spawnSync(process.execPath, [SCRIPT, CHECKPOINT, '--data', data, '--out', out, '--epochs', '3', '--batch-size', '8', '--max-length', '16', '--lr', '1e-3', '--seed', '7', ...extra], { encoding: 'utf8' });

  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    work = await mkdtemp(join(tmpdir(), 'heed-fine-tune-sentiment-'));
    data = join(work, 'data');
    await mkdir(data);
    // The CLI fixture's labelled lines, labels as export_sentiment.mjs writes them (0 negative, 1 positive).
    const lines = async (file: string) =>
      (await readFile(join(TEXTS, file), 'utf8')).split('\n').filter((line) => line.trim()).map((line) => {
        const { text, label } = JSON.parse(line) as { text: string; label: string };
        return JSON.stringify({ text, label: label === 'positive' ? 1 : 0 });
      });
    const train = await lines('train.jsonl');
    const validation = await lines('validation.jsonl');
    await writeFile(join(data, 'train.jsonl'), `${train.join('\n')}\n`);
    await writeFile(join(data, 'validation.jsonl'), `${validation.slice(0, 10).join('\n')}\n`);
    await writeFile(join(data, 'test.jsonl'), `${validation.slice(10).join('\n')}\n`);
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('--mlm-epochs: masked-LM epochs on the training texts (losses falling, in results.json), then classification from the adapted encoder', async () => {
    const out = join(work, 'dapt');
    const done = run(out, ['--mlm-epochs', '4', '--mlm-dup', '2', '--mlm-lr', '1e-2']);
    expect(done.status, done.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(done.stdout).toContain(`"mlm":[${results.mlm!.loss.join(',')}]`);
    // Every epoch's loss, over the rows that got at least one masked token (at most dup × the training texts).
    const { mlm } = results;
    expect(mlm).toMatchObject({ epochs: 4, dup: 2 });
    expect(mlm!.loss).toHaveLength(4);
    mlm!.loss.forEach((loss) => expect(Number.isFinite(loss) && loss > 0).toBe(true));
    expect(mlm!.loss.at(-1)!).toBeLessThan(mlm!.loss[0]!);
    // 15% of a text's k maskable tokens (not [PAD] [UNK] [CLS] [SEP] [MASK]) are chosen, so a copy keeps with
    // probability 1 - 0.85^k: the row count is within 4 standard deviations of the expected count.
    const checkpointTokenizer = await loadHfTokenizer(folderSource(CHECKPOINT));
    const vocab = (JSON.parse(await readFile(join(CHECKPOINT, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
    const special = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((token) => vocab[token]));
    const train = (await readFile(join(data, 'train.jsonl'), 'utf8')).split('\n').filter((line) => line.trim()).map((line) => (JSON.parse(line) as { text: string }).text);
    const keep = checkpointTokenizer.encode(train, { maxLength: 16, truncation: true }).input_ids.map((row) => 1 - 0.85 ** row.filter((id) => !special.has(id)).length);
    const expected = 2 * keep.reduce((sum, p) => sum + p, 0);
    const spread = Math.sqrt(2 * keep.reduce((sum, p) => sum + p * (1 - p), 0));
    expect(Math.abs(mlm!.rows - expected)).toBeLessThan(4 * spread);
    expect(mlm!.steps).toBe(4 * Math.ceil(mlm!.rows / 8));
    // The adapted masked LM is written (HF layout, the checkpoint's tokenizer files: no vocab.txt here) and differs
    // from the checkpoint in every encoder tensor.
    const adapted = join(out, 'dapt');
    expect((await readdir(adapted)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect((await readdir(out)).sort()).toEqual(['config.json', 'dapt', 'model.safetensors', 'results.json', 'tokenizer.json', 'tokenizer_config.json']);
    const before = await tensors(join(CHECKPOINT, 'model.safetensors'));
    const after = await tensors(join(adapted, 'model.safetensors'));
    const encoder = [...before.keys()].filter((key) => key.startsWith('bert.encoder.'));
    expect(encoder.length).toBeGreaterThan(0);
    for (const key of encoder) expect(after.get(key)!.equals(before.get(key)!), key).toBe(false);
    // The kept epoch is the best validation epoch, and the written classifier scores what results.json says.
    expect(results.history).toHaveLength(3);
    expect(results.eval_accuracy).toBe(Math.max(...results.history.map((epoch) => epoch.eval_accuracy)));
    expect(results.history[results.best_epoch - 1]!.eval_accuracy).toBe(results.eval_accuracy);
    expect(results.validation_accuracy_check).toBeCloseTo(results.eval_accuracy, 6); // (eval_accuracy: a float32 metric)
    const model = await fromPretrained(folderSource(out), { architecture: 'BertForSequenceClassification' });
    const tokenizer = await loadHfTokenizer(folderSource(out));
    const test = (await readFile(join(data, 'test.jsonl'), 'utf8')).split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as { text: string; label: number });
    const batch = tokenizer.encode(test.map((example) => example.text), { maxLength: 16, truncation: true });
    const inputs = tokenizer.toTensors(batch);
    const predicted = tf.tidy(() => model.forward(inputs).logits!.argMax(-1));
    const labels = Array.from(await predicted.data());
    tf.dispose([predicted, ...Object.values(inputs)]);
    model.dispose();
    expect(results.test_accuracy).toBeCloseTo(labels.filter((label, index) => label === test[index]!.label).length / test.length, 10);
  }, 300_000);

  it('without --mlm-epochs: no masked-LM step, and the MLM step leaves no tensors behind (same count at the end); one --seed, one result', async () => {
    const out = join(work, 'plain');
    const done = run(out, []);
    expect(done.status, done.stderr).toBe(0);
    // The fresh head's init and the dropout masks are drawn from the seed: the same command writes the same bytes.
    const again = run(join(work, 'plain-again'), []);
    expect(again.status, again.stderr).toBe(0);
    expect((await readFile(join(work, 'plain-again', 'model.safetensors'))).equals(await readFile(join(out, 'model.safetensors')))).toBe(true);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.mlm).toBeUndefined();
    expect(existsSync(join(out, 'dapt'))).toBe(false);
    const adapted = JSON.parse(await readFile(join(work, 'dapt', 'results.json'), 'utf8')) as Results;
    expect(adapted.tensors_after).toBe(results.tensors_after);
  }, 300_000);

  it('rejects bad arguments and data, naming them', async () => {
    const bad = run(join(work, 'bad'), ['--mlm-epochs', '-1']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--mlm-epochs must be an integer ≥ 0; got "-1"');
    const strings = join(work, 'strings');
    await mkdir(strings);
    for (const split of ['train', 'validation', 'test']) await writeFile(join(strings, `${split}.jsonl`), '{"text":"good","label":"positive"}\n');
    const labels = spawnSync(process.execPath, [SCRIPT, CHECKPOINT, '--data', strings, '--out', join(work, 'bad')], { encoding: 'utf8' });
    expect(labels.status).not.toBe(0);
    expect(labels.stderr).toContain(`${join(strings, 'train.jsonl')} example 1 must be {"text": string, "label": 0 | 1}`);
    expect(() => execFileSync(process.execPath, [SCRIPT, '--data', data], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/expected CHECKPOINT_DIR/);
  }, 120_000);
});
