import type { ColorScale } from './color-scale';
import { formatTick, niceTicks } from './nice-ticks';
import type { Shape } from './scene';

/** Options of {@link colorLegendShapes}. */
export interface ColorLegendOptions {
  x: number;
  y: number;
  /** Length of the color bar along its direction (default 120). */
  length?: number;
  /** Thickness of the bar (default 12). */
  thickness?: number;
  /** `vertical` (default): low values at the bottom, tick labels on the right. */
  orientation?: 'vertical' | 'horizontal';
  /** Caption above the bar, e.g. "weight". */
  label?: string;
}

/** Pixels a vertical legend needs to the right of `x` (bar, ticks and labels). */
export const LEGEND_WIDTH = 56;

/**
 * Shapes of a color bar with tick labels for `scale` (the legend every visualization draws).
 *
 * @example
 * ```ts
 * const shapes = colorLegendShapes(colorScale(), { x: 300, y: 20, label: 'weight' });
 * ```
 */
export function colorLegendShapes(scale: ColorScale, options: ColorLegendOptions): Shape[] {
  const { x, y } = options;
  const length = options.length ?? 120;
  const thickness = options.thickness ?? 12;
  const vertical = (options.orientation ?? 'vertical') === 'vertical';
  const [min, max] = scale.domain;
  const stops = Array.from({ length: 17 }, (_, index) => scale.css(min + ((max - min) * index) / 16));
  const shapes: Shape[] = [];
  if (options.label !== undefined) {
    shapes.push({ kind: 'text', x, y: y - 6, text: options.label, className: 'legend-label' });
  }
  shapes.push({
    kind: 'gradient',
    className: 'legend',
    x,
    y,
    width: vertical ? thickness : length,
    height: vertical ? length : thickness,
    stops,
    direction: vertical ? 'up' : 'right',
  });
  shapes.push({ kind: 'rect', x, y, width: vertical ? thickness : length, height: vertical ? length : thickness, fill: 'none', stroke: '#888' });
  const ticks = max > min ? niceTicks(min, max, 4) : [min];
  for (const tick of ticks) {
    const t = max > min ? (tick - min) / (max - min) : 0.5;
    if (vertical) {
      const ty = y + length - t * length;
      shapes.push({ kind: 'line', x1: x + thickness, y1: ty, x2: x + thickness + 4, y2: ty, stroke: '#444' });
      shapes.push({ kind: 'text', x: x + thickness + 6, y: ty + 4, text: formatTick(tick), className: 'legend-tick', size: 10 });
    } else {
      const tx = x + t * length;
      shapes.push({ kind: 'line', x1: tx, y1: y + thickness, x2: tx, y2: y + thickness + 4, stroke: '#444' });
      shapes.push({ kind: 'text', x: tx, y: y + thickness + 15, text: formatTick(tick), anchor: 'middle', className: 'legend-tick', size: 10 });
    }
  }
  return shapes;
}
