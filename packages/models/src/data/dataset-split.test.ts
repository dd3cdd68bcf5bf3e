import { describe, expect, it } from 'vitest';
import { fnv1a32, splitOf } from './dataset-split';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    // From the FNV reference test suite (Fowler/Noll/Vo, "FNV-1a 32 bit" column).
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('splitOf', () => {
  it('puts about 5% in test, 5% in validation, 90% in train', () => {
    const counts = { train: 0, validation: 0, test: 0 };
    for (let index = 0; index < 20_000; index++) counts[splitOf(`word${index}`)]++;
    expect(counts.test / 20_000).toBeGreaterThan(0.04);
    expect(counts.test / 20_000).toBeLessThan(0.06);
    expect(counts.validation / 20_000).toBeGreaterThan(0.04);
    expect(counts.validation / 20_000).toBeLessThan(0.06);
  });
});
