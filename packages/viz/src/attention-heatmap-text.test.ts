import { describe, expect, it } from 'vitest';
import { attentionHeatmapText } from './attention-heatmap-text';

describe('attentionHeatmapText', () => {
  it('one line per query: its label, one shade per key (0 → " ", largest → "@"), then the scale', () => {
    // Shade index round(w / 0.9 · 9): 0.9 → 9 "@", 0.1 → 1 ".", 0.2 → 2 ":", 0.8 → 8 "%".
    expect(attentionHeatmapText({ weights: [[0.9, 0.1], [0.2, 0.8]], rowLabels: ['a', 'bb'] })).toBe(" a @.\nbb :%\n   scale: ' ' 0 … '@' 0.9");
  });

  it('reads (layers, heads, T, S) with a layer and a head or their mean, and a fixed domain', () => {
    // layer 1, heads 0 and 1 of a (2, 2, 1, 2) tensor: [1, 0] and [0, 1]; their mean [0.5, 0.5].
    const weights = Float32Array.from([0, 0, 0, 0, 1, 0, 0, 1]);
    expect(attentionHeatmapText({ weights, shape: [2, 2, 1, 2], layer: 1, head: 1, domain: [0, 1] }).split('\n')[0]).toBe('0  @');
    expect(attentionHeatmapText({ weights, shape: [2, 2, 1, 2], layer: 1, head: 'mean', domain: [0, 1], shades: '01', cellWidth: 2 }).split('\n')[0]).toBe('0 1111');
  });

  it('bad input names the argument', () => {
    expect(() => attentionHeatmapText({ weights: [[1]], rowLabels: ['a', 'b'] })).toThrow('attentionHeatmapText: rowLabels must have one label per row (query) (1); got 2');
    expect(() => attentionHeatmapText({ weights: [[1]], shades: '@' })).toThrow('shades must have at least 2 characters');
    expect(() => attentionHeatmapText({ weights: [[1]], cellWidth: 0 })).toThrow('cellWidth must be a positive integer; got 0');
  });
});
