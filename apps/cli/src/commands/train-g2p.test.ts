import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { decodeCheckpoint, fileCheckpoint } from '@heed/training';
import { describe, expect, it } from 'vitest';
import { g2pVariantLabel, trainG2P, writeG2PResults, type G2PRunReport } from './train-g2p';

const report = (attention: G2PRunReport['attention'], wer: number): G2PRunReport => ({
  name: 'g2p',
  metrics: { wer, per: 0.081, words: 6191, beam: 1 },
  date: '2026-11-21T22:00:00.000Z',
  attention,
  config: { attention, encoderCell: 'lstm', encoderUnits: 64, decoderUnits: 128, embeddingDim: 64, numLayers: 2, numHeads: 4, intermediateDim: 512 } as G2PRunReport['config'],
  params: 273963,
  steps: 2000,
  epochs: 2,
  batchSize: 128,
  lr: 0.002,
  beam: 1,
  backend: 'wasm',
  trainMinutes: 70.5,
  evalMinutes: 1.2,
  wer,
  per: 0.081,
  words: 6191,
  command: `heed train g2p --attention ${attention}`,
  curve: [],
});

describe('writeG2PResults', () => {
  it('creates the g2p block, replaces a variant row and keeps other sections and rows', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'heed-g2p-results-')), 'RESULTS.md');
    writeFileSync(path, '# Results\n\n<!-- results:vit:start -->\nvit table\n<!-- results:vit:end -->\n');
    await writeG2PResults(path, report('transformer', 0.4));
    await writeG2PResults(path, report('bahdanau', 0.5));
    await writeG2PResults(path, report('bahdanau', 0.3));
    await writeG2PResults(path, { ...report('bahdanau', 0.2), config: { ...report('bahdanau', 0.2).config, encoderUnits: 128, decoderUnits: 256 } });
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('vit table');
    expect(text.match(/<!-- results:g2p:start -->/g)).toHaveLength(1);
    expect(text).toContain('| bahdanau (BiLSTM 64×2, LSTM 128, emb 64) | 30.00% | 8.10% | 6191 | greedy | 273,963 | 2000 | 128 | 70.5 min | wasm | `heed train g2p --attention bahdanau` |');
    expect(text).toContain('| bahdanau (BiLSTM 128×2, LSTM 256, emb 64) | 20.00% |'); // another size: its own row
    expect(text).not.toContain('50.00%');
    expect(text.indexOf('| bahdanau (BiLSTM 128')).toBeLessThan(text.indexOf('| transformer (2+2 layers, d 64, 4 heads, ff 512) |'));
  });
});

describe('g2pVariantLabel', () => {
  it('names stacked RNN encoders and keeps the names of 1-layer rows', () => {
    const config = { attention: 'luong-general', encoderCell: 'lstm', encoderUnits: 128, decoderUnits: 256, embeddingDim: 64, numLayers: 2, numHeads: 4, intermediateDim: 256 } as const;
    expect(g2pVariantLabel(config)).toBe('luong-general (BiLSTM 128×2, LSTM 256, emb 64)');
    expect(g2pVariantLabel({ ...config, encoderLayers: 1 })).toBe('luong-general (BiLSTM 128×2, LSTM 256, emb 64)');
    expect(g2pVariantLabel({ ...config, encoderLayers: 2 })).toBe('luong-general (2-layer BiLSTM 128×2, LSTM 256, emb 64)');
  });
});

describe('heed train g2p', () => {
  it('trains a tiny model on a slice of CMUdict, saves it and reports WER/PER', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heed-g2p-'));
    const lines: string[] = [];
    const result = await trainG2P(['--limit', '200', '--epochs', '1', '--units', '8', '--embedding', '8', '--batch-size', '64', '--out', out, '--backend', 'wasm', '--workers', '2'], (line) => lines.push(line));
    expect(result.words).toBe(200);
    expect(result.steps).toBeGreaterThanOrEqual(3);
    expect(result.wer).toBeGreaterThan(0);
    expect(result.wer).toBeLessThanOrEqual(1);
    expect(result.per).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toMatchObject({ attention: 'luong-general', words: 200, beam: 5 });
    const saved = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(saved).toMatchObject({ format: 'heed', family: 'seq2seq' });
    expect(JSON.stringify(saved)).toContain('"encoderLayers":2'); // the default recipe stacks 2 encoder layers, replicas included
    expect(lines.some((line) => line.includes('[g2p] test luong-general'))).toBe(true);
    expect(lines).toContain('[g2p] data-parallel over 2 processes (batches of 64 split 2 ways)');
    expect(existsSync(join(out, 'checkpoint', 'checkpoint.json'))).toBe(true); // through the Trainer, replicas or not
    expect(lines.some((line) => line.includes('[g2p] epoch 1: validation WER'))).toBe(true);
    expect(result.curve).toHaveLength(1);
    expect(result.curve[0]).toMatchObject({ epoch: 1, steps: result.steps });
  });

  it('draws a progress bar per epoch with --progress bar (instead of the lines every 50 batches)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heed-g2p-bar-'));
    const lines: string[] = [];
    let stderr = '';
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
    try {
      await trainG2P(['--limit', '200', '--epochs', '2', '--units', '8', '--embedding', '8', '--layers', '1', '--batch-size', '64', '--beam', '1', '--out', out, '--backend', 'wasm', '--progress', 'bar', '--workers', '1'], (line) => lines.push(line));
    } finally {
      process.stderr.write = write;
    }
    expect(stderr).toMatch(/epoch 1\/2 \[[█░]+\] (\d+)\/\1 batches \| loss \d+\.\d{4} \| lr \d\.\d\de-\d \| \d+\.\d\/85 min \| ETA/);
    expect(stderr).toMatch(/epoch 2\/2 \[[█░]+\] (\d+)\/\1 batches/);
    expect(lines.some((line) => / batch \d+\/\d+ /.test(line))).toBe(false);
    expect(lines.filter((line) => line.includes('validation WER'))).toHaveLength(2);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toContain('"encoderLayers":1'); // --layers 1: the single-layer encoder
  });

  const weightsOf = async (out: string) => {
    const contents = decodeCheckpoint(await fileCheckpoint(`file://${join(out, 'checkpoint')}`).load());
    const values = Object.fromEntries(Object.entries(contents.modelWeights).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
    const slots = Object.fromEntries(Object.entries(contents.optimizerSlots).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
    tf.dispose([contents.modelWeights, contents.optimizerSlots]);
    return { values, slots, state: contents.state };
  };

  // Two fresh runs with the same seed start from the same weights (heed's seeded initialisation),
  // so an interrupted run can be compared with an uninterrupted one directly.
  it.each([1, 2])('--workers %i --resume restores Adam\'s moments, the step and the epoch: 1 epoch + a resumed 2nd ends with the weights of 2 epochs in one run', async (workers) => {
    const tiny = ['--limit', '120', '--units', '8', '--embedding', '8', '--layers', '1', '--dropout', '0', '--batch-size', '32', '--beam', '1', '--validation-words', '20', '--backend', 'wasm', '--workers', String(workers), '--progress', 'lines'];
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const [whole, split] = ['whole', 'split'].map((name) => mkdtempSync(join(tmpdir(), `heed-g2p-${name}-`)));
    const uninterrupted = await trainG2P([...tiny, '--epochs', '2', '--out', whole!], log);
    const first = await trainG2P([...tiny, '--epochs', '1', '--out', split!], log);
    const resumed = await trainG2P([...tiny, '--epochs', '2', '--out', split!, '--resume'], log);
    expect(first.steps).toBe(uninterrupted.steps / 2);
    expect(resumed.steps).toBe(uninterrupted.steps);
    expect(lines).toContain(`[g2p] resumed the optimizer state at epoch 1, step ${first.steps}`);
    const [a, b] = [await weightsOf(whole!), await weightsOf(split!)];
    expect(Object.keys(a.values)).toContain('decoder/attention/kernel'); // named by role
    expect(b.state).toEqual(a.state);
    for (const [name, values] of Object.entries(a.values)) values.forEach((value, i) => expect(Math.abs(b.values[name]![i]! - value), name).toBeLessThan(1e-6));
    for (const [name, values] of Object.entries(a.slots)) values.forEach((value, i) => expect(Math.abs(b.slots[name]![i]! - value), name).toBeLessThan(1e-6 + 1e-4 * Math.abs(value)));
    resumed.curve.forEach((point, i) => expect(point.loss).toBeCloseTo(uninterrupted.curve[i]!.loss, 6));
    expect(resumed.curve.map((point) => point.validationPer)).toEqual(uninterrupted.curve.map((point) => point.validationPer));
  }, 120_000);

  it('--resume reads a checkpoint of heed 0.1 (weights named by position), with replicas', async () => {
    // __fixtures__/g2p-positional-checkpoint: written by commit 34d1a84's `heed train g2p --limit 40
    // --epochs 1 --units 4 --embedding 4 --layers 1 --dropout 0 --batch-size 16 --beam 1
    // --validation-words 10 --backend cpu --workers 1` (3 Adam steps, weights "0", "1", …).
    const out = mkdtempSync(join(tmpdir(), 'heed-g2p-positional-'));
    cpSync(fileURLToPath(new URL('../__fixtures__/g2p-positional-checkpoint', import.meta.url)), out, { recursive: true });
    const before = await weightsOf(out);
    expect(Object.keys(before.values).slice(0, 3)).toEqual(['0', '1', '2']);
    const lines: string[] = [];
    const args = ['--limit', '40', '--units', '4', '--embedding', '4', '--layers', '1', '--dropout', '0', '--batch-size', '16', '--beam', '1', '--validation-words', '10', '--backend', 'cpu', '--progress', 'lines'];
    const report = await trainG2P([...args, '--epochs', '2', '--workers', '2', '--resume', '--out', out], (line) => lines.push(line));
    expect(lines).toContain('[g2p] resumed the optimizer state at epoch 1, step 3');
    expect(report.steps).toBe(6);
    const after = await weightsOf(out);
    expect(after.state).toMatchObject({ epoch: 2, step: 6 });
    expect(Object.keys(after.values)[0]).toBe('encoder/embedding');
    expect(Object.keys(after.values)).toHaveLength(Object.keys(before.values).length);
    expect(after.slots['encoder/embedding/m']).toBeDefined();
  }, 60_000);

  it('rejects unknown attention names and progress modes', async () => {
    await expect(trainG2P(['--progress', 'dots'])).rejects.toThrow(/--progress must be one of auto, bar, lines; got "dots"/);
    await expect(trainG2P(['--workers', '0'])).rejects.toThrow(/--workers must be at least 1; got 0/);
    // --batch-size 0 used to loop forever at 100% CPU, ignoring --minutes; --beam 100000 ran out of memory.
    await expect(trainG2P(['--batch-size', '0'])).rejects.toThrow('heed train g2p: --batch-size must be a positive integer; got 0');
    await expect(trainG2P(['--beam', '100000'])).rejects.toThrow('heed train g2p: --beam must be a positive integer at most 256; got 100000');
    await expect(trainG2P(['--attention', 'nope'])).rejects.toThrow(/--attention must be one of bahdanau, luong-dot, luong-general, local-p, transformer; got "nope"/);
  });
});
