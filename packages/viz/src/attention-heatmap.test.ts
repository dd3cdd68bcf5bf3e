import { describe, expect, it } from 'vitest';
import { balanced, elements, luminance } from '../test/svg-helpers';
import { attentionHeatmapScene, attentionHeatmapSvg } from './attention-heatmap';
import { hitTest } from './scene';

describe('attentionHeatmapSvg', () => {
  const weights = [
    [0.9, 0.1, 0],
    [0.2, 0.5, 0.3],
  ];

  it('draws one cell per weight, lighter (viridis) for larger weights, with a legend', () => {
    const svg = attentionHeatmapSvg({ weights, rowLabels: ['le', 'chat'], columnLabels: ['the', 'cat', '.'] });
    expect(balanced(svg)).toBe(true);
    const cells = elements(svg, 'rect', 'cell');
    expect(cells).toHaveLength(6);
    const byWeight = cells.map((cell) => ({ weight: Number(cell['data-weight']), light: luminance(cell.fill!) })).sort((a, b) => a.weight - b.weight);
    for (let index = 1; index < byWeight.length; index++) {
      if (byWeight[index]!.weight > byWeight[index - 1]!.weight) expect(byWeight[index]!.light).toBeGreaterThan(byWeight[index - 1]!.light);
    }
    expect(svg).toContain('chat → cat: 0.500');
    expect(elements(svg, 'rect', 'legend')).toHaveLength(1);
    expect(svg).toMatch(/<linearGradient/);
    expect(elements(svg, 'text', 'legend-tick').length).toBeGreaterThanOrEqual(2);
  });

  it('escapes labels', () => {
    const svg = attentionHeatmapSvg({ weights: [[1]], rowLabels: ['<b>'], columnLabels: ['a&b"'], title: '<script>' });
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).toContain('a&amp;b&quot;');
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('<script>');
    expect(balanced(svg)).toBe(true);
  });

  it('picks the (layer, head) slice of a flat (layers, heads, T, S) array', () => {
    const [layers, heads, T, S] = [2, 3, 4, 5];
    const flat = Float32Array.from({ length: layers * heads * T * S }, (_, index) => (index % 97) / 96);
    const layer = 1;
    const head = 2;
    const svg = attentionHeatmapSvg({ weights: flat, shape: [layers, heads, T, S], layer, head });
    const cells = elements(svg, 'rect', 'cell');
    expect(cells).toHaveLength(T * S);
    for (const cell of cells) {
      const row = Number(cell['data-row']);
      const column = Number(cell['data-column']);
      // Independent index arithmetic on the flat buffer.
      const expected = flat[layer * heads * T * S + head * T * S + row * S + column]!;
      expect(Number(cell['data-weight'])).toBeCloseTo(expected, 5);
    }
    expect(svg).toContain('layer 1, head 2');
  });

  it("averages heads with head: 'mean'", () => {
    const flat = new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]); // (heads=2, T=2, S=2)
    const cells = elements(attentionHeatmapSvg({ weights: flat, shape: [2, 2, 2], head: 'mean' }), 'rect', 'cell');
    expect(cells.map((cell) => Number(cell['data-weight']))).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('uses the data range as domain when weights leave [0, 1], and hit-tests cells', () => {
    const scene = attentionHeatmapScene({ weights: [[-2, 2]], legend: true, showValues: true });
    const texts = scene.shapes.filter((shape) => shape.kind === 'text' && shape.className === 'legend-tick').map((shape) => (shape as { text: string }).text);
    expect(texts).toContain('-2');
    expect(texts).toContain('2');
    const cell = scene.shapes.find((shape) => shape.kind === 'rect' && shape.className === 'cell' && shape.title?.endsWith('2.000') && !shape.title.includes('-2'));
    if (cell?.kind !== 'rect') throw new Error('cell missing');
    expect(hitTest(scene, cell.x + 1, cell.y + 1)?.title).toBe('0 → 1: 2.000');
  });

  it('draws masked cells gray with a "masked" tooltip (causal mask)', () => {
    const causal = [[0, 1, 1], [0, 0, 1]];
    const svg = attentionHeatmapSvg({ weights: [[1, 0, 0], [0.4, 0.6, 0]], masked: causal });
    const cells = elements(svg, 'rect', 'cell');
    expect(cells.filter((cell) => cell['data-masked'] === '1').map((cell) => [cell['data-row'], cell['data-column']])).toEqual([['0', '1'], ['0', '2'], ['1', '2']]);
    expect(cells.filter((cell) => cell['data-masked'] === '1').every((cell) => cell.fill === '#d9d9d9')).toBe(true);
    expect(svg).toContain('0 → 2: masked');
    expect(elements(attentionHeatmapSvg({ weights: [[1, 0]], masked: [false, true] }), 'rect', 'cell')[1]!['data-masked']).toBe('1');
    expect(() => attentionHeatmapSvg({ weights: [[1, 0]], masked: [1] })).toThrow(/masked must have T × S = 2 values; got 1/);
    expect(() => attentionHeatmapSvg({ weights: [[1, 0]], masked: [[1]] })).toThrow(/masked must be \(T, S\) = \(1, 2\); got 1 rows of lengths \[1\]/);
  });

  it('fits long sequences: smaller cells and labels by default', () => {
    const T = 96;
    const svg = attentionHeatmapSvg({ weights: new Float32Array(T * T).fill(1 / T), shape: [T, T] });
    const cells = elements(svg, 'rect', 'cell');
    expect(cells).toHaveLength(T * T);
    expect(Number(cells[0]!.width)).toBe(5);
    expect(Number(elements(svg, 'text', 'row-label')[0]!['font-size'])).toBe(5);
    expect(Number(elements(attentionHeatmapSvg({ weights: [[1]] }), 'rect', 'cell')[0]!.width)).toBe(24);
  });

  it('names the argument and the sizes on bad input', () => {
    expect(() => attentionHeatmapSvg({ weights: [[1, 0], [1]] })).toThrow(/weights must be rectangular; row 0 has 2 columns but row 1 has 1/);
    expect(() => attentionHeatmapSvg({ weights, rowLabels: ['x'] })).toThrow(/rowLabels must have one label per row \(T\) \(2\); got 1/);
    expect(() => attentionHeatmapSvg({ weights, columnLabels: ['x'] })).toThrow(/columnLabels must have one label per column \(S\) \(3\); got 1/);
    expect(() => attentionHeatmapSvg({ weights: new Float32Array(59), shape: [1, 3, 4, 5] })).toThrow(/weights has 59 elements but shape \[1, 3, 4, 5\] needs 60/);
    expect(() => attentionHeatmapSvg({ weights: new Float32Array(60), shape: [1, 3, 4, 5], head: 3 })).toThrow(/head must be an integer in \[0, 3\) or 'mean' for shape \[1, 3, 4, 5\]; got 3/);
    expect(() => attentionHeatmapSvg({ weights: new Float32Array(60), shape: [1, 3, 4, 5], layer: 1 })).toThrow(/layer must be an integer in \[0, 1\)/);
    expect(() => attentionHeatmapSvg({ weights: new Float32Array(6) })).toThrow(/weights is a flat array of length 6; pass its shape/);
    expect(() => attentionHeatmapSvg({ weights: new Float32Array(6), shape: [6] })).toThrow(/shape must be \(T, S\), \(heads, T, S\) or \(layers, heads, T, S\)/);
    expect(() => attentionHeatmapSvg({ weights: [[1, Number.NaN]] })).toThrow(/weights\[0\]\[1\] must be a finite number; got NaN/);
  });
});
