import { describe, expect, it } from 'vitest';
import { balanced, elements } from '../test/svg-helpers';
import { HEAD_COLORS } from './color-scale';
import { headViewScene, headViewSvg } from './head-view';
import { hitTest } from './scene';

describe('headViewSvg', () => {
  const [layers, heads, T] = [2, 3, 4];
  // Row-stochastic weights that differ per (layer, head): head h of layer l attends to key (q + h + l) % T.
  const flat = new Float32Array(layers * heads * T * T);
  for (let l = 0; l < layers; l++)
    for (let h = 0; h < heads; h++)
      for (let q = 0; q < T; q++)
        for (let k = 0; k < T; k++) flat[((l * heads + h) * T + q) * T + k] = k === (q + h + l) % T ? 0.7 : 0.1;
  const tokens = ['[CLS]', 'the', 'cat', '<sat>'];

  it('draws one line per (head, query, key) above the threshold, opacity = weight, color per head', () => {
    const svg = headViewSvg({ weights: flat, shape: [layers, heads, T, T], layer: 1, tokens });
    expect(balanced(svg)).toBe(true);
    const edges = elements(svg, 'line', 'edge');
    expect(edges).toHaveLength(heads * T * T);
    for (const edge of edges) {
      const [h, q, k] = [Number(edge['data-head']), Number(edge['data-query']), Number(edge['data-key'])];
      expect(Number(edge['stroke-opacity'])).toBeCloseTo(flat[((1 * heads + h) * T + q) * T + k]!, 5);
      expect(edge.stroke).toBe(HEAD_COLORS[h]);
    }
    expect(elements(svg, 'rect', 'head-swatch')).toHaveLength(heads);
    expect(svg).toContain('&lt;sat&gt;');
  });

  it('selects heads, focuses one query and drops weak lines', () => {
    const svg = headViewSvg({ weights: flat, shape: [layers, heads, T, T], heads: [2], focus: 1, threshold: 0.5, tokens });
    const edges = elements(svg, 'line', 'edge');
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ 'data-head': '2', 'data-query': '1', 'data-key': String((1 + 2) % T) });
  });

  it('finds the query token under the pointer, for hover focus on canvas', () => {
    const scene = headViewScene({ weights: flat, shape: [layers, heads, T, T], tokens });
    const box = scene.shapes.find((shape) => shape.kind === 'rect' && shape.className === 'query-box' && shape.data?.query === 2);
    if (box?.kind !== 'rect') throw new Error('query box missing');
    expect(hitTest(scene, box.x + 2, box.y + box.height / 2)?.data?.query).toBe(2);
    expect(hitTest(scene, box.x + 2, box.y + box.height / 2)?.title).toBe('cat (query 2)');
  });

  it('names the argument and sizes on bad input', () => {
    expect(() => headViewSvg({ weights: flat, shape: [layers, heads, T, T], tokens: ['a'] })).toThrow(/tokens must have one label per query row \(T\) \(4\); got 1/);
    expect(() => headViewSvg({ weights: flat, shape: [layers, heads, T, T], tokens, heads: [3] })).toThrow(/heads must hold integers in \[0, 3\); got 3/);
    expect(() => headViewSvg({ weights: flat, shape: [layers, heads, T, T], tokens, focus: 9 })).toThrow(/focus must be a query index in \[0, 4\); got 9/);
    expect(() => headViewSvg({ weights: [[1, 0]], tokens: ['a'], keyTokens: ['b'] })).toThrow(/keyTokens must have one label per key column \(S\) \(2\); got 1/);
  });
});
