import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { sentimentDataset, sklearnDigitsDataset } from '@heed/models';
import { loadPretrained, loadSentimentNode, loadSklearnDigitsNode, pretrainedPath, readPretrainedResults } from '@heed/models/node';
import { initBackend } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalClassifier, formatEvalReport, formatPrediction, predictClassifier, type ImagePrediction, type TextPrediction } from './classifier-tasks';
import { decodePng } from './image-file';

const work = await mkdtemp(join(tmpdir(), 'heed-classifier-tasks-'));
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rm(work, { recursive: true, force: true }));

/** A minimal PNG encoder (8-bit, no interlace) that filters row r with filter type r mod 5, so the decoder's unfiltering is exercised. */
function encodePng(width: number, height: number, channels: 1 | 2 | 3 | 4, bytes: Uint8Array): Uint8Array {
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  const at = (row: number, column: number) => (row < 0 || column < 0 ? 0 : bytes[row * stride + column]!);
  for (let row = 0; row < height; row++) {
    const filter = row % 5;
    raw[row * (stride + 1)] = filter;
    for (let column = 0; column < stride; column++) {
      const [value, left, up, upLeft] = [at(row, column), at(row, column - channels), at(row - 1, column), at(row - 1, column - channels)];
      const estimate = left + up - upLeft;
      const paeth = Math.abs(estimate - left) <= Math.abs(estimate - up) && Math.abs(estimate - left) <= Math.abs(estimate - upLeft) ? left : Math.abs(estimate - up) <= Math.abs(estimate - upLeft) ? up : upLeft;
      raw[row * (stride + 1) + 1 + column] = (value - [0, left, up, (left + up) >> 1, paeth][filter]! + 256) & 255;
    }
  }
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length);
    new DataView(out.buffer).setUint32(0, body.length);
    out.set([...type].map((char) => char.charCodeAt(0)), 4);
    out.set(body, 8);
    return out; // CRC left 0: the reader does not check it
  };
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, height);
  header.set([8, { 1: 0, 2: 4, 3: 2, 4: 6 }[channels], 0, 0, 0], 8);
  const parts = [Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  return Uint8Array.from(parts.flatMap((part) => Array.from(part)));
}

describe('heed eval <task>', () => {
  it('digits: accuracy, per-class and macro scores and the confusion matrix of the shipped weights agree with each other and with the training run', async () => {
    const report = await evalClassifier('digits', []);
    expect(report.examples).toBe(359);
    expect(report.model).toBe(pretrainedPath('digits'));
    // The accuracy recorded by heed train when the weights were made (a separate code path).
    expect(report.accuracy).toBe((await readPretrainedResults('digits')).metrics.accuracy);
    const total = report.confusion.flat().reduce((sum, count) => sum + count, 0);
    const diagonal = report.confusion.reduce((sum, row, index) => sum + row[index]!, 0);
    expect(total).toBe(359);
    expect(report.accuracy).toBeCloseTo(diagonal / total, 12);
    report.perClass.forEach((entry, label) => {
      const truePositives = report.confusion[label]![label]!;
      const predictedAs = report.confusion.reduce((sum, row) => sum + row[label]!, 0);
      const support = report.confusion[label]!.reduce((sum, count) => sum + count, 0);
      expect(entry.support).toBe(support);
      expect(entry.precision).toBeCloseTo(predictedAs === 0 ? 0 : truePositives / predictedAs, 12);
      expect(entry.recall).toBeCloseTo(truePositives / support, 12);
    });
    expect(report.macro.f1).toBeCloseTo(report.perClass.reduce((sum, entry) => sum + entry.f1, 0) / 10, 12);
    expect(formatEvalReport(report)).toMatch(/^digits: accuracy 99\.\d\d% on 359 test examples/);
  }, 60_000);

  it('spam: the shipped weights reproduce the accuracy, confusion matrix and spam F1 recorded when they were trained (≥ 98% / ≥ 0.97)', async () => {
    const report = await evalClassifier('spam', []);
    const { metrics } = await readPretrainedResults('spam');
    expect(report.examples).toBe(308);
    expect(report.accuracy).toBe(metrics.accuracy);
    expect(report.confusion).toEqual(metrics.confusion);
    expect(report.perClass[1]!.f1).toBeCloseTo(metrics.f1 as number, 12);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(report.perClass[1]!.f1).toBeGreaterThanOrEqual(0.97);
  }, 180_000);

  it('--split validation scores the validation examples the model never trained on; image tasks, which have none, and bad splits are refused by name', async () => {
    const model = await loadPretrained('sentiment');
    const data = sentimentDataset(await loadSentimentNode());
    let direct: number[];
    try {
      direct = Array.from(await model.classify(data.validation.map((example) => example.text)));
    } finally {
      model.dispose();
    }
    const report = await evalClassifier('sentiment', ['--split', 'validation']);
    expect(report.split).toBe('validation');
    expect(report.examples).toBe(data.validation.length);
    expect(report.examples).not.toBe(data.test.length);
    const correct = direct.filter((label, index) => label === data.validation[index]!.label).length;
    expect(report.accuracy).toBe(correct / data.validation.length);
    expect(formatEvalReport(report)).toMatch(new RegExp(`^sentiment: accuracy \\d+\\.\\d\\d% on ${data.validation.length} validation examples`));
    expect((await evalClassifier('sentiment', ['--split', 'test', '--limit', '5'])).split).toBe('test');
    await expect(evalClassifier('digits', ['--split', 'validation'])).rejects.toThrow(/heed eval digits: --split validation: digits has no validation split .* use --split test/);
    await expect(evalClassifier('spam', ['--split', 'train'])).rejects.toThrow('heed eval spam: --split must be one of test, validation; got "train"');
  }, 120_000);

  it('--model DIR loads a saved model instead; a bad folder is named', async () => {
    const copy = join(work, 'digits-copy');
    await cp(pretrainedPath('digits'), copy, { recursive: true });
    const report = await evalClassifier('digits', ['--model', copy, '--limit', '50']);
    expect(report.model).toBe(copy);
    expect(report.examples).toBe(50);
    await expect(evalClassifier('digits', ['--model', join(work, 'nothing')])).rejects.toThrow(new RegExp(`--model .*nothing: cannot load a VisionTransformer for digits from .*nothing: VisionTransformer\\.load: cannot read .*nothing/config\\.json or the legacy .*nothing/model\\.json`));
    await expect(evalClassifier('spam', ['--frobnicate'])).rejects.toThrow(/heed eval spam: unknown argument "--frobnicate"/);
  }, 60_000);
});

describe('heed predict digits', () => {
  it('--index and --image (JSON, PNG) of the same test image give the same prediction; the true label is shown for --index', async () => {
    const { test } = sklearnDigitsDataset(await loadSklearnDigitsNode());
    const index = 7;
    const [byIndex] = (await predictClassifier('digits', ['--index', String(index)])) as ImagePrediction[];
    expect(byIndex!.label).toBe(test.labels[index]);
    expect(byIndex!.predicted).toBe(test.labels[index]);
    expect(byIndex!.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    expect(byIndex!.grid).toEqual([2, 2]);
    expect(byIndex!.rollout.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    const pixels = Array.from(test.images.subarray(index * 64, (index + 1) * 64));
    const jsonFile = join(work, 'digit.json');
    await writeFile(jsonFile, JSON.stringify(Array.from({ length: 8 }, (_, row) => pixels.slice(row * 8, row * 8 + 8))));
    const [byJson] = (await predictClassifier('digits', ['--image', jsonFile])) as ImagePrediction[];
    expect(byJson!.probabilities).toEqual(byIndex!.probabilities);
    const pngFile = join(work, 'digit.png');
    await writeFile(pngFile, encodePng(8, 8, 1, Uint8Array.from(pixels, (value) => Math.round(value * 255))));
    const [byPng] = (await predictClassifier('digits', ['--image', pngFile])) as ImagePrediction[];
    expect(byPng!.predicted).toBe(byIndex!.predicted);
    expect(formatPrediction(byIndex!)).toMatch(new RegExp(`^test\\[7\\]: ${test.labels[index]} with p=0\\.\\d{4} \\(true label ${test.labels[index]}\\)\\nattention rollout over patches:`));
  }, 60_000);

  it('refuses images of the wrong size or channel count, naming the expected shape', async () => {
    const big = join(work, 'big.pgm');
    await writeFile(big, `P2\n# 10x10\n10 10\n255\n${Array(100).fill(0).join(' ')}\n`);
    await expect(predictClassifier('digits', ['--image', big])).rejects.toThrow(/--image .*big\.pgm is 10×10×1 \(height×width×channels\); the digits model expects 8×8×1 \(grayscale, ink bright on a dark background\)/);
    const rgb = join(work, 'rgb.png');
    await writeFile(rgb, encodePng(8, 8, 3, new Uint8Array(8 * 8 * 3).fill(9)));
    await expect(predictClassifier('digits', ['--image', rgb])).rejects.toThrow(/rgb\.png is 8×8×3 .* expects 8×8×1/);
    await expect(predictClassifier('digits', [])).rejects.toThrow(/give exactly one of --index N .* or --image FILE/);
    await expect(predictClassifier('digits', ['--index', '359'])).rejects.toThrow(/--index must be an integer in \[0, 358\]; got "359"/);
    await expect(predictClassifier('digits', ['a', 'seven'])).rejects.toThrow(/digits classifies images/);
  }, 60_000);

  it('the PNG reader undoes all five row filters for every colour type', () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const bytes = Uint8Array.from({ length: 5 * 6 * channels }, (_, index) => (index * 37 + 11) % 256);
      const decoded = decodePng(encodePng(6, 5, channels, bytes), 'x.png');
      expect([decoded.width, decoded.height, decoded.channels]).toEqual([6, 5, channels]);
      expect(Array.from(decoded.pixels, (value) => Math.round(value * 255))).toEqual(Array.from(bytes));
    }
  });

  it('the PNG reader checks the header dimensions before inflating, and never inflates more than they need', () => {
    const png = encodePng(6, 5, 1, new Uint8Array(30));
    const resized = (width: number, height: number) => {
      const copy = png.slice();
      new DataView(copy.buffer).setUint32(16, width); // IHDR body starts at 16: width, then height
      new DataView(copy.buffer).setUint32(20, height);
      return copy;
    };
    // 20000×20000 (the 431 KB file that inflated to 2.3 GB): refused from the header alone.
    expect(() => decodePng(resized(20000, 20000), 'big.png')).toThrow('big.png: PNG header gives 20000×20000 pixels; images up to 4096×4096 are read (the digit models take 8×8 or 28×28)');
    expect(() => decodePng(resized(0, 5), 'empty.png')).toThrow('empty.png: PNG header gives 0×5 pixels; expected positive sizes');
    // A small header over data that inflates to far more: cut at what the header needs.
    const bomb = encodePng(6, 5, 1, new Uint8Array(30)).slice(0, 33); // signature + IHDR
    const idat = deflateSync(new Uint8Array(50_000_000));
    const chunk = new Uint8Array(12 + idat.length);
    new DataView(chunk.buffer).setUint32(0, idat.length);
    chunk.set([73, 68, 65, 84], 4);
    chunk.set(idat, 8);
    expect(() => decodePng(Uint8Array.from([...bomb, ...chunk]), 'bomb.png')).toThrow(/^bomb\.png: PNG image data does not inflate to 6×5×1 \(.*\)$/);
  });
});

describe('heed predict <text task>', () => {
  it('spam: classifies a text, gives one weight per token the model saw, and marks truncation of long texts', async () => {
    const classifier = await loadPretrained('spam');
    const maxLength = classifier.config.maxLength;
    classifier.dispose();
    const [short] = (await predictClassifier('spam', ['Meeting', 'moved', 'to', '3pm,', 'see', 'you', 'there'])) as TextPrediction[];
    expect(short!.truncated).toBe(false);
    expect(short!.tokens.map((entry) => entry.token)).toEqual(['[CLS]', 'meeting', 'moved', 'to', '3', '##pm', ',', 'see', 'you', 'there', '[SEP]']);
    expect(short!.tokens.reduce((sum, entry) => sum + entry.weight, 0)).toBeCloseTo(1, 5);
    expect(short!.probabilities.ham! + short!.probabilities.spam!).toBeCloseTo(1, 5);
    const long = Array(400).fill('word').join(' ');
    const [cut] = (await predictClassifier('spam', [long])) as TextPrediction[];
    expect(cut!.truncated).toBe(true);
    expect(cut!.tokens).toHaveLength(maxLength);
    expect(formatPrediction(cut!)).toContain('[text longer than the model reads: truncated]');
  }, 60_000);

  it('--file reads a raw email (subject and body) for spam; --index gives the true label; empty texts are refused', async () => {
    const email = join(work, 'email.eml');
    await writeFile(email, 'From: a@example.com\nSubject: Lunch tomorrow?\n\nAre we still on for lunch tomorrow at noon?\n');
    const [fromFile] = (await predictClassifier('spam', ['--file', email])) as TextPrediction[];
    const words = fromFile!.tokens.slice(1, -1).map(({ token }) => (token.startsWith('##') ? token.slice(2) : ` ${token}`)).join('').trim();
    expect(words).toBe('lunch tomorrow ? are we still on for lunch tomorrow at noon ?'); // subject + body, no other headers
    const [fromIndex] = (await predictClassifier('sentiment', ['--index', '0'])) as TextPrediction[];
    expect(['negative', 'positive']).toContain(fromIndex!.label);
    await expect(predictClassifier('sentiment', ['   '])).rejects.toThrow(/the text from argument is empty/);
    const blank = join(work, 'blank.txt');
    await writeFile(blank, '\n\n');
    await expect(predictClassifier('sentiment', ['--file', blank])).rejects.toThrow(/the text from .*blank\.txt is empty/);
    await expect(predictClassifier('sentiment', [])).rejects.toThrow(/give a text \(as arguments\), --file FILE or --index N/);
    await expect(predictClassifier('spam', ['--image', email])).rejects.toThrow(/spam classifies texts/);
    // Plain text (no email headers) for spam: read whole, not refused as "empty".
    const plain = join(work, 'plain.txt');
    await writeFile(plain, 'Are we still on for lunch tomorrow at noon?\nSee you there.\n');
    const [fromPlain] = (await predictClassifier('spam', ['--file', plain])) as TextPrediction[];
    expect(fromPlain!.tokens.slice(1, 4).map(({ token }) => token)).toEqual(['are', 'we', 'still']);
  }, 60_000);
});
