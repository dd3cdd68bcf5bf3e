import { describe, expect, it } from 'vitest';
import { attentionHeatmapSvg } from './attention-heatmap-svg';

describe('attentionHeatmapSvg', () => {
  const weights = [
    [0.9, 0.1, 0],
    [0.2, 0.5, 0.3],
  ];

  it('draws one cell per weight, darker for larger weights', () => {
    const svg = attentionHeatmapSvg({ weights, rowLabels: ['le', 'chat'], columnLabels: ['the', 'cat', '.'] });
    const fills = [...svg.matchAll(/class="cell"[^>]*fill="rgb\((\d+),/g)].map((match) => Number(match[1]));
    expect(fills).toHaveLength(6);
    // Red channel falls as the weight grows: 0.9 is darker than 0.1, which is darker than 0.
    expect(fills[0]).toBeLessThan(fills[1]!);
    expect(fills[1]).toBeLessThan(fills[2]!);
    expect(svg).toContain('chat → cat: 0.500');
  });

  it('escapes labels', () => {
    const svg = attentionHeatmapSvg({ weights: [[1]], rowLabels: ['<b>'], columnLabels: ['a&b'] });
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('a&amp;b');
    expect(svg).not.toContain('<b>');
  });

  it('names the argument and the sizes on ragged or mislabeled input', () => {
    expect(() => attentionHeatmapSvg({ weights: [[1, 0], [1]] })).toThrow(/row 0 has 2 columns but row 1 has 1/);
    expect(() => attentionHeatmapSvg({ weights, rowLabels: ['x'] })).toThrow(/rowLabels must have one label per row \(2\); got 1/);
  });
});
