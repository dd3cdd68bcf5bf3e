import { describe, expect, it } from 'vitest';
import { balanced, elements } from '../test/svg-helpers';
import { trainingCurvesSvg } from './training-curves';
import { TrainingHistory } from './training-history';

describe('TrainingHistory', () => {
  it('aligns series on steps, merging metrics logged at the same step', () => {
    const history = new TrainingHistory();
    history.push(1, { loss: 2 });
    history.push(2, { loss: 1.5 });
    history.push(2, { valLoss: 1.8 });
    history.push(3, { loss: Number.NaN });
    expect(history.data).toEqual({ steps: [1, 2, 3], series: [{ name: 'loss', values: [2, 1.5, null] }, { name: 'valLoss', values: [null, 1.8, null] }] });
    expect(() => history.push(1, { loss: 1 })).toThrow(/step must not decrease; got 1 after 3/);
  });
});

describe('trainingCurvesSvg', () => {
  const history = new TrainingHistory();
  for (let step = 1; step <= 20; step++) history.push(step, { loss: 3 / step, accuracy: 1 - 1 / step, ...(step % 5 === 0 ? { val_loss: 3.5 / step } : {}) });

  it('draws one curve per series with axes, ticks and a legend', () => {
    const svg = trainingCurvesSvg({ ...history.data, styles: { accuracy: { axis: 'right' }, val_loss: { dashed: true } }, rightLabel: 'accuracy' });
    expect(balanced(svg)).toBe(true);
    const curves = elements(svg, 'path', 'curve');
    expect(curves).toHaveLength(3);
    // loss falls: its path's y (SVG grows downward) rises from first to last point.
    const lossPoints = curves[0]!.d!.split(/[ML ]+/).filter(Boolean).map((point) => point.split(',').map(Number));
    expect(lossPoints).toHaveLength(20);
    expect(lossPoints[19]![1]).toBeGreaterThan(lossPoints[0]![1]!);
    expect(curves[2]!['stroke-dasharray']).toBe('5 3');
    expect(elements(svg, 'rect', 'marker')).toHaveLength(4); // sparse val_loss gets markers
    expect(elements(svg, 'text', 'x-tick').length).toBeGreaterThanOrEqual(3);
    expect(elements(svg, 'text', 'right-tick').length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('accuracy (right) 0.95');
  });

  it('supports a log scale and names bad input', () => {
    const svg = trainingCurvesSvg({ steps: [1, 2, 3], series: [{ name: 'loss', values: [100, 10, 1] }], logScale: true });
    const ticks = [...svg.matchAll(/class="left-tick"[^>]*>([^<]*)</g)].map((match) => match[1]);
    expect(ticks).toEqual(['1', '10', '100']);
    expect(() => trainingCurvesSvg({ steps: [1, 2], series: [{ name: 'loss', values: [1] }] })).toThrow(/series "loss" has 1 values but steps has 2/);
    expect(() => trainingCurvesSvg({ steps: [2, 1], series: [] })).toThrow(/steps must not decrease; steps\[1\] = 1 after 2/);
  });
});
