import { describe, expect, it } from 'vitest';
import { attentionRollout } from './attention-rollout';

describe('attentionRollout', () => {
  it('multiplies the row-normalized (0.5·A + 0.5·I) of each layer, last layer on the left', () => {
    // Layer 1, two heads whose mean is [[0.5, 0.5], [0.5, 0.5]]; layer 2, one head fused the same way.
    const layer1 = [1, 0, 0, 1, /* head 2 */ 0, 1, 1, 0];
    const layer2 = [0.2, 0.8, 0.6, 0.4, /* head 2 equal */ 0.2, 0.8, 0.6, 0.4];
    // Â₁ = 0.5·[[.5,.5],[.5,.5]] + 0.5·I = [[.75,.25],[.25,.75]];  Â₂ = [[.6,.4],[.3,.7]].
    // R = Â₂·Â₁ = [[.6·.75 + .4·.25, .6·.25 + .4·.75], [.3·.75 + .7·.25, .3·.25 + .7·.75]] = [[.55, .45], [.4, .6]].
    const rollout = attentionRollout([...layer1, ...layer2], [2, 2, 2, 2]);
    expect(Array.from(rollout).map((value) => Number(value.toFixed(6)))).toEqual([0.55, 0.45, 0.4, 0.6]);
  });

  it('renormalizes rows that do not sum to 1 (e.g. after masking) and returns one layer unchanged otherwise', () => {
    // A = [[0.5, 0], [0, 0]] → 0.5·A + 0.5·I = [[0.75, 0], [0, 0.5]] → rows normalized: I.
    expect(Array.from(attentionRollout([0.5, 0, 0, 0], [1, 1, 2, 2]))).toEqual([1, 0, 0, 1]);
    // Three tokens, one layer: Â = 0.5·A + 0.5·I, rows already sum to 1.
    const a = [0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2];
    const expected = a.map((value, index) => 0.5 * value + (index % 4 === 0 ? 0.5 : 0));
    Array.from(attentionRollout(a, [1, 1, 3, 3])).forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
  });

  it('fuses heads by max or min and weights attention against the residual', () => {
    const heads = [0.9, 0.1, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4];
    const max = attentionRollout(heads, [1, 2, 2, 2], { headFusion: 'max', attentionWeight: 1 });
    // max = [[.9,.8],[.6,.7]] → rows normalized: [[.9/1.7, .8/1.7], [.6/1.3, .7/1.3]]
    [0.9 / 1.7, 0.8 / 1.7, 0.6 / 1.3, 0.7 / 1.3].forEach((value, index) => expect(max[index]).toBeCloseTo(value, 6));
    const min = attentionRollout(heads, [1, 2, 2, 2], { headFusion: 'min', attentionWeight: 0 });
    expect(Array.from(min)).toEqual([1, 0, 0, 1]);
  });

  it('names the shapes of bad input', () => {
    expect(() => attentionRollout([1, 2, 3], [1, 1, 2, 2])).toThrow(/3 weights do not fill shape \[1, 1, 2, 2\] \(4\)/);
    expect(() => attentionRollout(new Float32Array(6), [1, 1, 2, 3])).toThrow(/must be square.*\[1, 1, 2, 3\]/);
    expect(() => attentionRollout([], [0, 1, 2, 2])).toThrow(/at least one layer/);
    expect(() => attentionRollout([1, 0, 0, 1], [1, 1, 2, 2], { attentionWeight: 2 })).toThrow(/attentionWeight must be in \[0, 1\]; got 2/);
  });
});
