import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEBIAN_SKLEARN_DIGITS, loadSklearnDigitsNode } from './load-sklearn-digits-node';
import { sklearnDigitsDataset } from './sklearn-digits-dataset';

describe.skipIf(!existsSync(DEBIAN_SKLEARN_DIGITS))("sklearnDigitsDataset on Debian's digits.csv.gz", async () => {
  // Reference: the file decompressed and parsed here.
  const rows = gunzipSync(readFileSync(DEBIAN_SKLEARN_DIGITS)).toString('utf8').trim().split('\n').map((line) => line.split(',').map(Number));
  const data = sklearnDigitsDataset(await loadSklearnDigitsNode());

  it('splits the 1,797 images 80/20 per digit, pixels / 16', () => {
    expect(rows).toHaveLength(1797);
    const perClass = Array.from({ length: 10 }, (_, digit) => rows.filter((row) => row[64] === digit).length);
    const count = (labels: Int32Array) => Array.from({ length: 10 }, (_, digit) => labels.filter((label) => label === digit).length);
    expect(count(data.train.labels)).toEqual(perClass.map((n) => Math.round(0.8 * n)));
    expect(count(data.test.labels)).toEqual(perClass.map((n) => n - Math.round(0.8 * n)));
    expect(data.train.count + data.test.count).toBe(1797);
    expect(data.test.shape).toEqual([data.test.count, 8, 8, 1]);
    let mismatches = 0;
    for (const set of [data.train, data.test]) {
      for (let row = 0; row < set.count; row++) {
        const source = rows.filter((values) => values[64] === set.labels[row])[set.sources[row]!]!;
        for (let pixel = 0; pixel < 64; pixel++) if (set.images[row * 64 + pixel] !== source[pixel]! / 16) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});

describe('sklearnDigitsDataset input checks', () => {
  it('names the bad line and the missing file', async () => {
    expect(() => sklearnDigitsDataset(`${'0,'.repeat(64)}3\n${'0,'.repeat(63)}3`)).toThrow(/csv line 2 must be 64 pixels/);
    expect(() => sklearnDigitsDataset(`${'17,'.repeat(64)}3`)).toThrow(/csv line 1/);
    await expect(loadSklearnDigitsNode('/nonexistent/digits.csv.gz')).rejects.toThrow(/cannot read \/nonexistent\/digits\.csv\.gz/);
  });
});
