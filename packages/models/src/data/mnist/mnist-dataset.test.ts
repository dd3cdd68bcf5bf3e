import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNode } from './load-mnist-node';
import { stratifiedIsTest, type ImageSet, type ImageSplit } from '../images/stratified-image-split';
import { mnistDataset } from './mnist-dataset';

// Reference: the package's JSON files read directly.
const folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, digit) => (JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as { data: number[] }).data);

describe('mnistDataset on the mnist package', () => {
  let data: ImageSplit;
  beforeAll(async () => {
    data = mnistDataset(await loadMnistNode());
  });

  it('splits 8,000 / 2,000, 80/20 per digit', () => {
    expect(raw.reduce((sum, pixels) => sum + pixels.length / 784, 0)).toBe(10_000);
    expect(raw[5]!.length / 784).toBe(863);
    expect(data.train.count).toBe(8000);
    expect(data.test.count).toBe(2000);
    expect(data.train.shape).toEqual([8000, 28, 28, 1]);
    expect(data.test.images.length).toBe(2000 * 784);
    const perDigit = (set: ImageSet) => Array.from({ length: 10 }, (_, digit) => set.labels.filter((label) => label === digit).length);
    const images = raw.map((pixels) => pixels.length / 784);
    expect(perDigit(data.train)).toEqual(images.map((n) => Math.round(n * 0.8)));
    expect(perDigit(data.test)).toEqual(images.map((n) => n - Math.round(n * 0.8)));
    expect(perDigit(data.test)[5]).toBe(173);
  });

  it('holds every raw image exactly once, pixel for pixel, in [0, 1]', () => {
    const seen = raw.map((pixels) => new Uint8Array(pixels.length / 784));
    let mismatches = 0;
    for (const set of [data.train, data.test]) {
      for (let row = 0; row < set.count; row++) {
        const digit = set.labels[row]!;
        const index = set.sources[row]!;
        seen[digit]![index]!++;
        for (let pixel = 0; pixel < 784; pixel++) {
          if (Math.abs(set.images[row * 784 + pixel]! - raw[digit]![index * 784 + pixel]!) > 1e-7) mismatches++;
        }
      }
      expect(set.images.reduce((low, value) => Math.min(low, value), Infinity)).toBe(0);
      expect(set.images.reduce((high, value) => Math.max(high, value), -Infinity)).toBe(1);
    }
    expect(mismatches).toBe(0);
    expect(seen.every((counts) => counts.every((count) => count === 1))).toBe(true);
  });

  it('spreads test images over each file and mixes digits in any prefix', () => {
    const testOfFive = [...data.test.sources].filter((_, row) => data.test.labels[row] === 5).sort((a, b) => a - b);
    const gaps = testOfFive.slice(1).map((source, index) => source - testOfFive[index]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6);
    expect(new Set(data.train.labels.slice(0, 100)).size).toBe(10);
    expect(mnistDataset(raw).test.labels).toEqual(data.test.labels);
  });
});

describe('mnistDataset input checks', () => {
  it('names bad digits and pixels', () => {
    expect(() => mnistDataset([])).toThrow(/digits must be 10 arrays.*got 0 arrays/);
    const digits = Array.from({ length: 10 }, () => new Array<number>(784).fill(0));
    expect(() => mnistDataset(digits.map((pixels, digit) => (digit === 3 ? pixels.slice(1) : pixels)))).toThrow(/digits\[3\].*got 783 values/);
    digits[2]![5] = 255;
    expect(() => mnistDataset(digits)).toThrow(/digits\[2\]\[5\].*\[0, 1\]; got 255/);
  });

  it('puts one of five images in test, the last', () => {
    expect([0, 1, 2, 3, 4].map((index) => stratifiedIsTest(index, 5))).toEqual([false, false, false, false, true]);
  });
});
