import { describe, expect, it } from 'vitest';
import { balanced, elements, luminance } from '../test/svg-helpers';
import { highlightTokens, tokenHighlightSvg } from './token-highlight';
import { tokenHighlightHtml } from './token-highlight-html';

describe('token highlighting', () => {
  it('darkens backgrounds with the score (unsigned) and titles each token', () => {
    const html = tokenHighlightHtml({ tokens: ['free', 'money', 'now'], scores: [0.5, 1, 0] });
    const spans = [...html.matchAll(/<span class="heed-token"[^>]*title="([^"]*)" style="background-color:(rgb\([^)]*\))/g)];
    expect(spans.map((span) => span[1])).toEqual(['free: 0.500', 'money: 1.000', 'now: 0.000']);
    const light = spans.map((span) => luminance(span[2]!));
    expect(light[1]).toBeLessThan(light[0]!);
    expect(light[0]).toBeLessThan(light[2]!);
    expect(html).toContain('role="group" aria-label="Token importance"');
    expect(html).toContain('> (money: 1.000)</span>'); // screen-reader text
    expect(html).toContain('class="legend"');
  });

  it('uses a diverging scale centered on zero for signed scores', () => {
    const { tokens, scale } = highlightTokens({ tokens: ['not', 'bad', 'the'], scores: [-0.5, 1, 0] });
    expect(scale.scheme).toBe('rdbu');
    expect(scale.domain).toEqual([-1, 1]);
    expect(tokens[2]!.background).toBe('rgb(247,247,247)');
    expect(tokens[0]!.background).toMatch(/^rgb\(\d+,\d+,\d+\)$/);
  });

  it('escapes tokens in HTML and SVG', () => {
    const options = { tokens: ['<script>alert(1)</script>', '&'], scores: [1, 0] };
    for (const out of [tokenHighlightHtml(options), tokenHighlightSvg(options)]) {
      expect(out).not.toContain('<script>');
      expect(out).toContain('&lt;script&gt;');
      expect(out).toContain('&amp;');
    }
  });

  it('draws one rect per token in SVG, wrapping long text', () => {
    const tokens = Array.from({ length: 40 }, (_, index) => `token${index}`);
    const svg = tokenHighlightSvg({ tokens, scores: tokens.map((_, index) => index / 39), maxWidth: 300 });
    expect(balanced(svg)).toBe(true);
    const rects = elements(svg, 'rect', 'token');
    expect(rects).toHaveLength(40);
    expect(new Set(rects.map((rect) => rect.y)).size).toBeGreaterThan(5);
    expect(Math.max(...rects.map((rect) => Number(rect.x) + Number(rect.width)))).toBeLessThanOrEqual(300);
  });

  it('names the argument and counts on bad input', () => {
    expect(() => tokenHighlightHtml({ tokens: ['a', 'b'], scores: [1] })).toThrow(/scores must have one score per token \(2\); got 1/);
    expect(() => tokenHighlightSvg({ tokens: ['a'], scores: [Number.NaN] })).toThrow(/scores\[0\] must be a finite number; got NaN/);
  });
});
