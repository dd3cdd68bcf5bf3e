import { describe, expect, it } from 'vitest';
import { attentionHistory, selectAttention } from './attention-selection';

// Two layers × two heads; step 0 sees 2 tokens, step 1 sees 3.
const step0 = { attention: [[Float32Array.of(0.25, 0.75), Float32Array.of(1, 0)], [Float32Array.of(0.5, 0.5), Float32Array.of(0.1, 0.9)]] };
const step1 = { attention: [[Float32Array.of(0.2, 0.3, 0.5), Float32Array.of(0, 0, 1)], [Float32Array.of(0.6, 0.2, 0.2), Float32Array.of(0.4, 0.4, 0.2)]] };

describe('selectAttention', () => {
  it('returns one head, or the mean over the heads (still summing to 1)', () => {
    expect(Array.from(selectAttention(step0, 0, 1))).toEqual([1, 0]);
    const mean = Array.from(selectAttention(step1, 1, 'mean'));
    expect(mean[0]).toBeCloseTo(0.5, 6);
    expect(mean[1]).toBeCloseTo(0.3, 6);
    expect(mean[2]).toBeCloseTo(0.2, 6);
    expect(mean.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('names a layer or head that does not exist', () => {
    expect(() => selectAttention(step0, 2, 0)).toThrow('layer: expected 0 to 1; got 2');
    expect(() => selectAttention(step0, 0, 2)).toThrow("head: expected 0 to 1 or 'mean'; got 2");
  });
});

describe('attentionHistory', () => {
  it('pads each step to the tokens of the last and masks the tokens it could not see', () => {
    const { weights, masked } = attentionHistory([step0, step1], 0, 0, 3);
    expect(weights.map((row) => row.map((value) => Number(value.toFixed(6))))).toEqual([[0.25, 0.75, 0], [0.2, 0.3, 0.5]]);
    expect(masked).toEqual([[false, false, true], [false, false, false]]);
    expect(() => attentionHistory([step1], 0, 0, 2)).toThrow('tokens: expected at least 3');
  });
});
