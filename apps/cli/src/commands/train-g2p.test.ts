import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeCheckpoint, fileCheckpoint } from '@heed/training';
import { describe, expect, it } from 'vitest';
import { g2pLearningRate, g2pVariantLabel, trainG2P, writeG2PResults, type G2PRunReport } from './train-g2p';

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

describe('g2pLearningRate', () => {
  it('warms up linearly, then follows a cosine from the peak to 1% of it', () => {
    expect(g2pLearningRate({ peak: 0.003, step: 0, warmupSteps: 300, progress: 0 })).toBeCloseTo(0.00001, 12); // 0.003 · 1/300
    expect(g2pLearningRate({ peak: 0.003, step: 149, warmupSteps: 300, progress: 0.001 })).toBeCloseTo(0.0015, 12);
    expect(g2pLearningRate({ peak: 0.003, step: 5000, warmupSteps: 300, progress: 0 })).toBeCloseTo(0.003, 12);
    expect(g2pLearningRate({ peak: 0.003, step: 5000, warmupSteps: 300, progress: 0.5 })).toBeCloseTo(0.00003 + 0.00297 * 0.5, 12);
    expect(g2pLearningRate({ peak: 0.003, step: 5000, warmupSteps: 300, progress: 1 })).toBeCloseTo(0.00003, 12);
    expect(g2pLearningRate({ peak: 0.003, step: 5000, warmupSteps: 300, progress: 1.7 })).toBeCloseTo(0.00003, 12); // past the budget
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
    expect(existsSync(join(out, '.replica-start'))).toBe(false); // the hand-over copy is gone
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

  it('--resume restores Adam\'s moments, the step and the epoch: 1 epoch + a resumed 2nd gives the weights of 2 epochs in one run', async () => {
    const tiny = ['--limit', '120', '--units', '8', '--embedding', '8', '--layers', '1', '--dropout', '0', '--batch-size', '32', '--beam', '1', '--validation-words', '20', '--backend', 'wasm', '--workers', '1', '--progress', 'lines'];
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    // Both runs start from the same weights (a fresh Seq2Seq's initial weights differ between
    // instances: tfjs's orthogonal initializer ignores its seed), saved by a first short run.
    const start = mkdtempSync(join(tmpdir(), 'heed-g2p-start-'));
    await trainG2P([...tiny, '--epochs', '1', '--out', start], log);
    const fromStart = (name: string) => {
      const out = mkdtempSync(join(tmpdir(), `heed-g2p-${name}-`));
      cpSync(start, out, { recursive: true });
      for (const file of ['checkpoint', 'progress.json', 'results.json']) rmSync(join(out, file), { recursive: true, force: true });
      return out;
    };
    const whole = fromStart('whole');
    const split = fromStart('split');
    const uninterrupted = await trainG2P([...tiny, '--epochs', '2', '--out', whole, '--resume'], log);
    const first = await trainG2P([...tiny, '--epochs', '1', '--out', split, '--resume'], log);
    const resumed = await trainG2P([...tiny, '--epochs', '2', '--out', split, '--resume'], log);
    expect(first.steps).toBe(uninterrupted.steps / 2);
    expect(resumed.steps).toBe(uninterrupted.steps);
    expect(lines).toContain(`[g2p] resumed the optimizer state at epoch 1, step ${first.steps}`);
    const weightsOf = async (out: string) => {
      const contents = decodeCheckpoint(await fileCheckpoint(`file://${join(out, 'checkpoint')}`).load());
      const values = Object.fromEntries(Object.entries(contents.modelWeights).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
      const slots = Object.fromEntries(Object.entries(contents.optimizerSlots).map(([name, tensor]) => [name, Array.from(tensor.dataSync())]));
      tf.dispose([contents.modelWeights, contents.optimizerSlots]);
      return { values, slots, state: contents.state };
    };
    const [a, b] = [await weightsOf(whole), await weightsOf(split)];
    expect(Object.keys(a.values).length).toBeGreaterThan(5);
    expect(b.state).toEqual(a.state);
    expect(b.values).toEqual(a.values); // bit for bit: same batches, same rates, Adam continued, not restarted
    expect(b.slots).toEqual(a.slots);
    expect(resumed.curve.map((point) => point.loss)).toEqual(uninterrupted.curve.map((point) => point.loss));
    expect(resumed.curve.map((point) => point.validationPer)).toEqual(uninterrupted.curve.map((point) => point.validationPer));
  }, 120_000);

  it('rejects unknown attention names and progress modes', async () => {
    await expect(trainG2P(['--progress', 'dots'])).rejects.toThrow(/--progress must be one of auto, bar, lines; got "dots"/);
    await expect(trainG2P(['--workers', '0'])).rejects.toThrow(/--workers must be at least 1; got 0/);
    // --batch-size 0 used to loop forever at 100% CPU, ignoring --minutes; --beam 100000 ran out of memory.
    await expect(trainG2P(['--batch-size', '0'])).rejects.toThrow('heed train g2p: --batch-size must be a positive integer; got 0');
    await expect(trainG2P(['--beam', '100000'])).rejects.toThrow('heed train g2p: --beam must be a positive integer at most 256; got 100000');
    await expect(trainG2P(['--attention', 'nope'])).rejects.toThrow(/--attention must be one of bahdanau, luong-dot, luong-general, local-p, transformer; got "nope"/);
  });
});
