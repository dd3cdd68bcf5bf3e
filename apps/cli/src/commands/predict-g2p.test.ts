import { copyFileSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileHandler, Seq2Seq } from '@heed/models';
import { pretrainedPath } from '@heed/models/node';
import { describe, expect, it } from 'vitest';
import { loadG2PModel } from './g2p-model';
import { alignmentHeatmap, formatG2PPredictions, g2pAlignment, g2pOutputStream, predictG2P, type G2PPrediction } from './predict-g2p';

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('alignmentHeatmap', () => {
  it('prints one row per output token (the end token last) and the letters underneath', () => {
    expect(alignmentHeatmap([[0.95, 0.05], [0.25, 0.75]], ['a', 'b'], ['X'])).toBe('   X @ \n</s> :#\n     ab');
  });
});

describe('g2pAlignment', () => {
  const maps = [
    [[1, 0]], // layer 0 head 0
    [[0, 1]], // layer 0 head 1
    [[0.2, 0.8]], // layer 1 head 0
    [[0.6, 0.4]], // layer 1 head 1
  ];
  it('averages the heads of the last Transformer layer', () => {
    const mean = g2pAlignment({ config: { attention: 'transformer', numHeads: 2 } } as never, maps);
    expect(mean[0]![0]).toBeCloseTo(0.4, 6);
    expect(mean[0]![1]).toBeCloseTo(0.6, 6);
  });
  it('returns the single map of an RNN model', () => {
    expect(g2pAlignment({ config: { attention: 'bahdanau', numHeads: 4 } } as never, [[[0.3, 0.7]]])).toEqual([[0.3, 0.7]]);
  });
});

describe('heed predict g2p (shipped weights)', () => {
  it('pronounces common words as CMUdict does, with alignments over their letters', async () => {
    const results = await predictG2P(['paste', 'Cat', 'water']);
    // Independent reference: the CMU Pronouncing Dictionary entries (stress removed).
    expect(results.map((r) => r.phonemes.join(' '))).toEqual(['P EY S T', 'K AE T', 'W AO T ER']);
    for (const { word, phonemes, alignment, heatmap } of results) {
      expect(alignment).toHaveLength(phonemes.length + 1); // one row per phoneme and one for the end token
      for (const row of alignment) {
        expect(row).toHaveLength(word.length);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4); // softmax over the letters
      }
      expect(heatmap.split('\n').at(-1)!.trim()).toBe(word);
    }
    const json = JSON.parse(formatG2PPredictions(results, true)) as Array<{ word: string; phonemes: string[]; alignment: number[][] }>;
    expect(json[1]).toMatchObject({ word: 'cat', phonemes: ['K', 'AE', 'T'] });
    expect(json[1]!.alignment).toHaveLength(4);
  });

  it('reads words from --input (blank lines skipped) and writes one SVG heatmap per word with --svg', async () => {
    const dir = tmp('heed-g2p-svg-');
    const input = join(dir, 'words.txt');
    writeFileSync(input, 'paste\n\n  cat\n');
    const results = await predictG2P(['--input', input, '--svg', join(dir, 'svg'), '--beam', '1']);
    expect(results.map((r) => r.word)).toEqual(['paste', 'cat']);
    expect(readdirSync(join(dir, 'svg')).sort()).toEqual(['1-paste.svg', '2-cat.svg']);
    const svg = readFileSync(join(dir, 'svg', '2-cat.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('cat → K AE T');
  });

  it('names bad words: empty, outside the alphabet, longer than the model reads', async () => {
    await expect(predictG2P(['paste', ''])).rejects.toThrow(/heed predict g2p: word 2 is empty/);
    await expect(predictG2P(['naïve'])).rejects.toThrow(/"naïve" has characters outside the model's alphabet: ï/);
    await expect(predictG2P(['a'.repeat(41)])).rejects.toThrow(/has 41 letters; the model reads at most 40 \(maxSourceLength\)/);
    await expect(predictG2P([])).rejects.toThrow(/give at least one word/);
    await expect(predictG2P(['paste', '--beam', '0'])).rejects.toThrow(/--beam must be a positive integer at most 256; got "0"/);
    await expect(predictG2P(['paste', '--input', '/nonexistent/words.txt'])).rejects.toThrow(/--input \/nonexistent\/words.txt: .*ENOENT/);
  });

  it('decodes in bounded batches and streams them: the printed output is what one batch printed', async () => {
    const words = ['paste', 'cat', 'water', 'strength', 'a'];
    const whole = await predictG2P([...words, '--beam', '2']);
    const batches: G2PPrediction[][] = [];
    const streams = { json: g2pOutputStream(true), text: g2pOutputStream(false) };
    const printed = { json: '', text: '' };
    const kept = await predictG2P([...words, '--beam', '2'], {
      batchSize: 2,
      onPredictions: (batch) => {
        batches.push(batch);
        printed.json += streams.json.format(batch);
        printed.text += streams.text.format(batch);
      },
    });
    expect(kept).toEqual([]); // streamed, not kept
    expect(batches.map((batch) => batch.map((p) => p.word))).toEqual([['paste', 'cat'], ['water', 'strength'], ['a']]);
    const streamed = batches.flat();
    expect(streamed.map((p) => p.phonemes)).toEqual(whole.map((p) => p.phonemes));
    // Padding differs per batch, so alignments agree to float32 rounding, not bit for bit.
    streamed.forEach((p, i) => p.alignment.flat().forEach((w, j) => expect(w).toBeCloseTo(whole[i]!.alignment.flat()[j]!, 5)));
    expect(printed.json + streams.json.end()).toBe(`${formatG2PPredictions(streamed, true)}\n`);
    expect(printed.text + streams.text.end()).toBe(`${formatG2PPredictions(streamed, false)}\n`);
    expect(JSON.parse(printed.json + streams.json.end())).toHaveLength(5);
    await expect(predictG2P(['paste'], { batchSize: 0 })).rejects.toThrow('heed predict g2p: batchSize must be a positive integer; got 0');
  });

  it('bounds the beam, names an --svg path that is a file, and cuts a long word in errors', async () => {
    await expect(predictG2P(['paste', '--beam', '100000'])).rejects.toThrow('heed predict g2p: --beam must be a positive integer at most 256; got "100000"');
    const dir = tmp('heed-g2p-svg-file-');
    writeFileSync(join(dir, 'taken'), 'a file');
    await expect(predictG2P(['paste', '--svg', join(dir, 'taken')])).rejects.toThrow(`heed predict g2p: --svg "${join(dir, 'taken')}": exists and is not a directory`);
    const error = await predictG2P(['a'.repeat(1_000_000)]).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/^heed predict g2p: "a{78}… \(1000002 characters\) has 1000000 letters; the model reads at most 40 \(maxSourceLength\)$/);
  });

  it('names the file of a missing, truncated or mismatched --model', async () => {
    const shipped = (file: string) => join(pretrainedPath('g2p'), file);
    const empty = tmp('heed-g2p-empty-');
    await expect(predictG2P(['--model', empty, 'paste'])).rejects.toThrow(new RegExp(`${join(empty, 'config.json')} does not exist`));
    const truncated = tmp('heed-g2p-truncated-');
    copyFileSync(shipped('config.json'), join(truncated, 'config.json'));
    writeFileSync(join(truncated, 'model.safetensors'), readFileSync(shipped('model.safetensors')).subarray(0, 1000));
    await expect(predictG2P(['--model', truncated, 'paste'])).rejects.toThrow(/model\.safetensors do not load: Seq2Seq\.load: .*model\.safetensors.*: truncated/);
    const looped = tmp('heed-g2p-loop-');
    symlinkSync(join(looped, 'config.json'), join(looped, 'config.json'));
    await expect(predictG2P(['--model', looped, 'paste'])).rejects.toThrow(new RegExp(`cannot read ${join(looped, 'config.json')}: ELOOP`));
    const zero = tmp('heed-g2p-zero-');
    copyFileSync(shipped('config.json'), join(zero, 'config.json'));
    symlinkSync('/dev/zero', join(zero, 'model.safetensors'));
    await expect(predictG2P(['--model', zero, 'paste'])).rejects.toThrow(/model\.safetensors is not a regular file/); // used to hang
    const nan = tmp('heed-g2p-nan-');
    copyFileSync(shipped('config.json'), join(nan, 'config.json'));
    const bytes = readFileSync(shipped('model.safetensors'));
    const dataStart = 8 + Number(bytes.readBigUInt64LE(0));
    new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, (bytes.length - dataStart) / 4).fill(NaN);
    writeFileSync(join(nan, 'model.safetensors'), bytes);
    await expect(predictG2P(['--model', nan, 'paste'])).rejects.toThrow(/do not load: Seq2Seq\.load: .*model\.safetensors \(tensor "encoder\/embedding"\): .* values that are NaN or Infinity/); // printed empty phonemes, exit 0
    const corrupt = tmp('heed-g2p-corrupt-');
    writeFileSync(join(corrupt, 'config.json'), '{"format": ');
    await expect(predictG2P(['--model', corrupt, 'paste'])).rejects.toThrow(new RegExp(`${join(corrupt, 'config.json')}.*do not load`));
    // A folder of an older run (model.json + weights.bin, the legacy layout) still loads.
    const legacy = tmp('heed-g2p-legacy-');
    const model = await Seq2Seq.load(pretrainedPath('g2p'));
    await model.save(nodeFileHandler(legacy));
    model.dispose();
    const again = tmp('heed-g2p-legacy-bad-');
    copyFileSync(join(legacy, 'model.json'), join(again, 'model.json'));
    writeFileSync(join(again, 'weights.bin'), readFileSync(join(legacy, 'weights.bin')).subarray(0, 1000));
    await expect(predictG2P(['--model', again, 'paste'])).rejects.toThrow(/weights\.bin do not load: .*weights\.bin has 1000 bytes but .*model\.json describes \d+ bytes of weights/);
    const { model: loaded } = await loadG2PModel(legacy, 'heed predict g2p');
    expect(loaded.vocabularies).toBeDefined();
    loaded.dispose();
  }, 60_000);
});
