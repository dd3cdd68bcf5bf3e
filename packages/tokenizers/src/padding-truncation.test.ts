import { describe, expect, it } from 'vitest';
import { emptyEncoding } from './encoding';
import { padEncoding, truncateEncoding, truncationLengths } from './padding-truncation';

describe('truncationLengths (longest_first)', () => {
  it("matches Hugging Face tokenizers' own table for max_length 7 (lengths 0, 2, 4, 8)", () => {
    // [first, second] → expected [first, second], from tokenizers/src/utils/truncation.rs tests.
    const table: Array<[[number, number], [number, number]]> = [
      [[0, 0], [0, 0]], [[0, 2], [0, 2]], [[0, 4], [0, 4]], [[0, 8], [0, 7]],
      [[2, 0], [2, 0]], [[2, 2], [2, 2]], [[2, 4], [2, 4]], [[2, 8], [2, 5]],
      [[4, 0], [4, 0]], [[4, 2], [4, 2]], [[4, 4], [3, 4]], [[4, 8], [3, 4]],
      [[8, 0], [7, 0]], [[8, 2], [5, 2]], [[8, 4], [4, 3]], [[8, 8], [3, 4]],
    ];
    for (const [[first, second], expected] of table) expect(truncationLengths(first, second, 7)).toEqual(expected);
    expect(truncationLengths(4, 4, 0)).toEqual([0, 0]);
  });
});

describe('truncateEncoding and padEncoding', () => {
  it('cut every field together and pad with masked special tokens', () => {
    const encoding = emptyEncoding();
    for (let index = 0; index < 5; index++) {
      encoding.ids.push(index + 10);
      encoding.tokens.push(`t${index}`);
      encoding.offsets.push([index, index + 1]);
      encoding.attentionMask.push(1);
      encoding.typeIds.push(0);
      encoding.specialTokensMask.push(0);
      encoding.sequenceIds.push(0);
    }
    truncateEncoding(encoding, 2);
    expect(Object.values(encoding).map((field: unknown[]) => field.length)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    padEncoding(encoding, 4, { id: 0, token: '[PAD]', typeId: 1 });
    expect(encoding.ids).toEqual([10, 11, 0, 0]);
    expect(encoding.attentionMask).toEqual([1, 1, 0, 0]);
    expect(encoding.typeIds).toEqual([0, 0, 1, 1]);
    expect(encoding.offsets.slice(2)).toEqual([[0, 0], [0, 0]]);
    expect(encoding.sequenceIds).toEqual([0, 0, null, null]);
  });
});
