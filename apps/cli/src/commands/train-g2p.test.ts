import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalG2P } from './eval-g2p';
import { alignmentHeatmap, predictG2P } from './predict-g2p';
import { trainG2P, writeG2PResults, type G2PRunReport } from './train-g2p';

const report = (attention: G2PRunReport['attention'], wer: number): G2PRunReport => ({
  attention,
  config: {} as G2PRunReport['config'],
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
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('vit table');
    expect(text.match(/<!-- results:g2p:start -->/g)).toHaveLength(1);
    expect(text).toContain('| bahdanau | 30.00% | 8.10% | 6191 | greedy | 273,963 | 2000 | 128 | 70.5 min | wasm | `heed train g2p --attention bahdanau` |');
    expect(text).not.toContain('50.00%');
    expect(text.indexOf('| bahdanau |')).toBeLessThan(text.indexOf('| transformer |'));
  });
});

describe('heed train g2p', () => {
  it('trains a tiny model on a slice of CMUdict, saves it and reports WER/PER', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heed-g2p-'));
    const lines: string[] = [];
    const result = await trainG2P(['--limit', '200', '--epochs', '1', '--units', '8', '--embedding', '8', '--batch-size', '64', '--out', out, '--backend', 'wasm'], (line) => lines.push(line));
    expect(result.words).toBe(200);
    expect(result.steps).toBeGreaterThanOrEqual(3);
    expect(result.wer).toBeGreaterThan(0);
    expect(result.wer).toBeLessThanOrEqual(1);
    expect(result.per).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toMatchObject({ attention: 'bahdanau', words: 200 });
    expect(JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'))).toMatchObject({ format: 'heed-seq2seq' });
    expect(lines.some((line) => line.includes('[g2p] test bahdanau'))).toBe(true);
  });

  it('rejects unknown attention names', async () => {
    await expect(trainG2P(['--attention', 'nope'])).rejects.toThrow(/--attention must be one of bahdanau, luong-dot, luong-general, local-p, transformer; got "nope"/);
  });
});

describe('heed eval g2p / predict g2p', () => {
  it('prints an alignment heatmap with one row per output token', () => {
    expect(alignmentHeatmap([[0.95, 0.05], [0.25, 0.75]], ['a', 'b'], ['X'])).toBe('   X @ \n</s> :#\n     ab');
  });

  it('predicts words and scores a split with a saved model', async () => {
    const out = mkdtempSync(join(tmpdir(), 'heed-g2p-predict-'));
    await trainG2P(['--limit', '100', '--epochs', '1', '--units', '8', '--embedding', '8', '--batch-size', '64', '--out', out], () => undefined);
    const [paste, read] = await predictG2P(['--model', out, 'Paste', 'read', '--beam', '2']);
    expect(paste!.word).toBe('paste');
    expect(read!.word).toBe('read');
    expect(paste!.heatmap.split('\n').at(-1)!.trim()).toBe('paste');
    await expect(predictG2P(['--model', out, 'naïve'])).rejects.toThrow(/"naïve" has characters outside the model's alphabet: ï/);
    await expect(predictG2P(['--model', out])).rejects.toThrow(/give at least one word/);
    await expect(evalG2P(['--model', out, '--split', 'train'])).rejects.toThrow(/--split must be test or validation; got "train"/);
  });
});
