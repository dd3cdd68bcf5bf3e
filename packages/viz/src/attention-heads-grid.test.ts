import { describe, expect, it } from 'vitest';
import { balanced, elements } from '../test/svg-helpers';
import { attentionHeadsGridSvg } from './attention-heads-grid';

describe('attentionHeadsGridSvg', () => {
  const [layers, heads, T, S] = [2, 3, 2, 3];
  const flat = Float32Array.from({ length: layers * heads * T * S }, (_, index) => index / (layers * heads * T * S));

  it('draws one panel per head with that head’s slice, on one shared scale and legend', () => {
    const svg = attentionHeadsGridSvg({ weights: flat, shape: [layers, heads, T, S], layer: 1, heads: [2, 0], columns: 1 });
    expect(balanced(svg)).toBe(true);
    const cells = elements(svg, 'rect', 'cell');
    expect(cells).toHaveLength(2 * T * S);
    [2, 0].forEach((head, panel) => {
      for (const cell of cells.slice(panel * T * S, (panel + 1) * T * S)) {
        const expected = flat[((1 * heads + head) * T + Number(cell['data-row'])) * S + Number(cell['data-column'])]!;
        expect(Number(cell['data-weight'])).toBeCloseTo(expected, 5);
      }
    });
    // Stacked in one column: the second panel is below the first.
    expect(Number(cells[T * S]!.y)).toBeGreaterThan(Number(cells[T * S - 1]!.y));
    expect(elements(svg, 'rect', 'legend')).toHaveLength(1);
    expect(svg).toContain('layer 1, head 2');
    expect(svg).toContain('layer 1, head 0');
  });

  it('accepts nested (T, S) weights as a single head', () => {
    expect(elements(attentionHeadsGridSvg({ weights: [[0.5, 0.5]] }), 'rect', 'cell')).toHaveLength(2);
  });

  it('names bad heads', () => {
    expect(() => attentionHeadsGridSvg({ weights: flat, shape: [layers, heads, T, S], heads: [5] })).toThrow(/head must be an integer in \[0, 3\) or 'mean' for shape \[2, 3, 2, 3\]; got 5/);
  });
});
