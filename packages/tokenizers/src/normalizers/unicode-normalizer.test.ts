import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityText } from '../normalized-text';
import { UnicodeNormalizer, type UnicodeForm } from './unicode-normalizer';

describe('UnicodeNormalizer', () => {
  it('gives exactly String.prototype.normalize for all four forms', () => {
    for (const form of ['NFC', 'NFD', 'NFKC', 'NFKD'] as UnicodeForm[]) {
      const normalizer = new UnicodeNormalizer(form);
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
          expect(normalizer.normalize(identityText(text)).text).toBe(text.normalize(form));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('aligns composed and decomposed characters with their source', () => {
    const composed = new UnicodeNormalizer('NFC').normalize(identityText('e\u0301x'));
    expect(composed.text).toBe('éx');
    expect([composed.starts, composed.ends]).toEqual([[0, 2], [2, 3]]);
    const decomposed = new UnicodeNormalizer('NFKD').normalize(identityText('ﬁé'));
    expect(decomposed.text).toBe('fie\u0301');
    expect([decomposed.starts, decomposed.ends]).toEqual([[0, 0, 1, 1], [1, 1, 2, 2]]);
  });
});
