import { describe, expect, it } from 'vitest';
import { luminance } from '../test/svg-helpers';
import { colorScale, contrastingText, headColor, HEAD_COLORS, schemeColor } from './color-scale';
import { colorLegendShapes } from './color-legend';
import { niceTicks } from './nice-ticks';
import { sceneToSvg } from './scene-svg';

describe('colorScale', () => {
  it('is perceptually ordered: lightness rises (viridis, magma) or falls (oranges, blues) monotonically', () => {
    for (const [scheme, rising] of [['viridis', true], ['magma', true], ['oranges', false], ['blues', false]] as const) {
      const scale = colorScale({ scheme });
      let previous = rising ? -1 : 2;
      for (let step = 0; step <= 50; step++) {
        const light = luminance(scale.css(step / 50));
        if (rising) expect(light, `${scheme} at ${step / 50}`).toBeGreaterThan(previous);
        else expect(light, `${scheme} at ${step / 50}`).toBeLessThan(previous);
        previous = light;
      }
    }
  });

  it('maps the domain ends to the scheme ends and clamps outside', () => {
    const scale = colorScale({ domain: [-2, 2] });
    expect(scale.rgb(-2)).toEqual([68, 1, 84]);
    expect(scale.rgb(2)).toEqual([253, 231, 37]);
    expect(scale.rgb(-10)).toEqual(scale.rgb(-2));
    expect(scale.css(0)).toBe(`rgb(${schemeColor('viridis', 0.5).join(',')})`);
    expect(colorScale({ scheme: 'rdbu', domain: [-1, 1] }).css(0)).toBe('rgb(247,247,247)');
  });

  it('rejects bad schemes and domains, naming them', () => {
    expect(() => colorScale({ scheme: 'jet' as never })).toThrow(/scheme must be one of viridis, magma, oranges, blues, rdbu; got "jet"/);
    expect(() => colorScale({ domain: [1, 0] })).toThrow(/domain must be two finite numbers \[min, max\] with min <= max; got \[1, 0\]/);
  });

  it('picks readable text colors and cycles head colors', () => {
    expect(contrastingText([68, 1, 84])).toBe('#fff');
    expect(contrastingText([253, 231, 37])).toBe('#000');
    expect(headColor(10)).toBe(HEAD_COLORS[0]);
  });

  it('gives gradients content-derived ids, so SVGs inlined in one page do not clash', () => {
    const ids = (domain: [number, number], scheme: 'viridis' | 'magma') =>
      [...sceneToSvg({ width: 10, height: 10, title: 't', fontSize: 10, shapes: colorLegendShapes(colorScale({ domain, scheme }), { x: 0, y: 0 }) }).matchAll(/id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids([0, 1], 'viridis')).toEqual(ids([0, 5], 'viridis'));
    expect(ids([0, 1], 'viridis')).not.toEqual(ids([0, 1], 'magma'));
  });

  it('draws a legend with round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 2.3, 4)).toEqual([0.5, 1, 1.5, 2]);
    const shapes = colorLegendShapes(colorScale(), { x: 0, y: 0, label: 'weight' });
    expect(shapes.filter((shape) => shape.kind === 'gradient')).toHaveLength(1);
    expect(shapes.filter((shape) => shape.kind === 'text' && shape.className === 'legend-tick').map((shape) => (shape as { text: string }).text)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });
});
