import { HEAD_COLORS } from './color-scale';
import { formatTick, niceTicks } from './nice-ticks';
import type { Scene, Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';
import { textWidth } from './text-width';
import type { TrainingCurvesData } from './training-history';

/** How one series is drawn. */
export interface CurveStyle {
  /** `left` (default) or `right` y axis, e.g. loss left and accuracy right. */
  axis?: 'left' | 'right';
  /** CSS color; default from the Tableau 10 palette by order. */
  color?: string;
  /** Dashed line (e.g. validation curves). */
  dashed?: boolean;
}

/** Input of {@link trainingCurvesSvg} and {@link renderTrainingCurvesToCanvas}. */
export interface TrainingCurvesOptions extends TrainingCurvesData {
  /** Per-series style by name. */
  styles?: Readonly<Record<string, CurveStyle>>;
  /** Default 480 × 260 pixels. */
  width?: number;
  height?: number;
  /** Axis titles (defaults: `step`, `loss`, none). */
  xLabel?: string;
  leftLabel?: string;
  rightLabel?: string;
  /** Logarithmic left axis (default false); non-positive values become gaps. */
  logScale?: boolean;
  /** Accessible title (default "Training curves"). */
  title?: string;
}

/**
 * Color of the series at `index` when no style names one.
 *
 * @example
 * ```ts
 * seriesColor(0); // '#4e79a7'
 * ```
 */
export const seriesColor = (index: number): string => HEAD_COLORS[index % HEAD_COLORS.length]!;

/**
 * Checks that every series has one value per step and that steps do not decrease.
 *
 * @example
 * ```ts
 * checkCurves('myChart', history.data); // throws naming the series and lengths when they differ
 * ```
 */
export function checkCurves(caller: string, data: TrainingCurvesData): void {
  const { steps } = data;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (!Number.isFinite(step)) throw new Error(`${caller}: steps[${index}] must be a finite number; got ${step}`);
    if (index > 0 && step < steps[index - 1]!) throw new Error(`${caller}: steps must not decrease; steps[${index}] = ${step} after ${steps[index - 1]}`);
  }
  for (const series of data.series) {
    if (series.values.length !== steps.length) {
      throw new Error(`${caller}: series ${JSON.stringify(series.name)} has ${series.values.length} values but steps has ${steps.length}`);
    }
  }
}

/**
 * Lays out training curves as a {@link Scene}: axes with round ticks, one `curve` path per series
 * (gaps where values are missing), and a legend. Drawn by hand so it works in Node; in browsers,
 * `createTrainingCurvesChart` (uPlot) gives an interactive live chart of the same data.
 *
 * @example
 * ```ts
 * const scene = trainingCurvesScene({ steps: [1, 2, 3], series: [{ name: 'loss', values: [2.3, 1.2, 0.8] }] });
 * ```
 */
export function trainingCurvesScene(options: TrainingCurvesOptions): Scene {
  const caller = 'trainingCurves';
  checkCurves(caller, options);
  const width = options.width ?? 480;
  const height = options.height ?? 260;
  const log = options.logScale ?? false;
  const styles = options.styles ?? {};
  const axisOf = (name: string) => styles[name]?.axis ?? 'left';
  const hasRight = options.series.some((series) => axisOf(series.name) === 'right');
  const usable = (value: number | null | undefined, axis: 'left' | 'right'): value is number =>
    typeof value === 'number' && Number.isFinite(value) && !(log && axis === 'left' && value <= 0);
  const range = (axis: 'left' | 'right') => {
    let min = Infinity;
    let max = -Infinity;
    for (const series of options.series) {
      if (axisOf(series.name) !== axis) continue;
      for (let index = 0; index < series.values.length; index++) {
        const value = series.values[index];
        if (!usable(value, axis)) continue;
        const v = axis === 'left' && log ? Math.log10(value) : value;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min === Infinity) return [0, 1] as const;
    if (min === max) return [min - 0.5, max + 0.5] as const;
    return [min, max] as const;
  };
  const steps = options.steps;
  const xMin = steps.length ? steps[0]! : 0;
  const xMax = steps.length ? steps[steps.length - 1]! : 1;
  const xRange = xMax > xMin ? [xMin, xMax] : [xMin - 0.5, xMin + 0.5];
  const legendRow = 20;
  const plot = { left: 56, right: width - (hasRight ? 56 : 16), top: 12 + legendRow, bottom: height - 40 };
  const shapes: Shape[] = [];
  const xTicks = niceTicks(xRange[0]!, xRange[1]!, 6).filter((tick) => tick >= xRange[0]! && tick <= xRange[1]!);
  const xPixel = (x: number) => plot.left + ((x - xRange[0]!) / (xRange[1]! - xRange[0]!)) * (plot.right - plot.left);
  for (const tick of xTicks) {
    const x = xPixel(tick);
    shapes.push({ kind: 'line', x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: '#e5e5e5' });
    shapes.push({ kind: 'text', x, y: plot.bottom + 14, text: formatTick(tick), anchor: 'middle', size: 10, className: 'x-tick' });
  }
  shapes.push({ kind: 'text', x: (plot.left + plot.right) / 2, y: height - 8, text: options.xLabel ?? 'step', anchor: 'middle', className: 'axis-label' });
  const yPixels: Record<'left' | 'right', (value: number) => number> = { left: () => 0, right: () => 0 };
  for (const axis of hasRight ? (['left', 'right'] as const) : (['left'] as const)) {
    const [low, high] = range(axis);
    const ticks = log && axis === 'left'
      ? niceTicks(Math.floor(low), Math.ceil(high), 5).filter((tick) => Number.isInteger(tick))
      : niceTicks(low, high, 5);
    const tickMin = Math.min(low, ticks[0] ?? low);
    const tickMax = Math.max(high, ticks[ticks.length - 1] ?? high);
    const toPixel = (value: number) => plot.bottom - ((value - tickMin) / (tickMax - tickMin || 1)) * (plot.bottom - plot.top);
    yPixels[axis] = axis === 'left' && log ? (value) => toPixel(Math.log10(value)) : toPixel;
    for (const tick of ticks) {
      const y = toPixel(tick);
      if (axis === 'left') shapes.push({ kind: 'line', x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: '#e5e5e5' });
      const label = log && axis === 'left' ? formatTick(10 ** tick) : formatTick(tick);
      shapes.push({ kind: 'text', x: axis === 'left' ? plot.left - 4 : plot.right + 4, y: y + 3, text: label, anchor: axis === 'left' ? 'end' : 'start', size: 10, className: `${axis}-tick` });
    }
    const title = axis === 'left' ? (options.leftLabel ?? 'loss') : options.rightLabel;
    if (title !== undefined) {
      const x = axis === 'left' ? 14 : width - 8;
      shapes.push({ kind: 'text', x, y: (plot.top + plot.bottom) / 2, text: title, anchor: 'middle', rotate: axis === 'left' ? -90 : 90, className: 'axis-label' });
    }
  }
  shapes.push({ kind: 'rect', x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top, fill: 'none', stroke: '#999' });
  let legendX = plot.left;
  options.series.forEach((series, index) => {
    const style = styles[series.name] ?? {};
    const color = style.color ?? seriesColor(index);
    const axis = axisOf(series.name);
    // Missing values are skipped and the line spans them (like uPlot's spanGaps): validation
    // metrics logged once per epoch still form a line; sparse series also get point markers.
    const points: Array<readonly [number, number]> = [];
    for (let point = 0; point < steps.length; point++) {
      const value = series.values[point];
      if (usable(value, axis)) points.push([xPixel(steps[point]!), yPixels[axis](value)]);
    }
    const last = points[points.length - 1];
    shapes.push({ kind: 'polyline', className: 'curve', points, stroke: color, width: 1.75, title: series.name, ...(style.dashed ? { dash: [5, 3] } : {}) });
    if (points.length < steps.length) {
      for (const [x, y] of points) shapes.push({ kind: 'rect', className: 'marker', x: x - 2, y: y - 2, width: 4, height: 4, fill: color });
    }
    shapes.push({ kind: 'line', x1: legendX, y1: 16, x2: legendX + 16, y2: 16, stroke: color, width: 2.5, className: 'legend-swatch', ...(style.dashed ? { dash: [5, 3] } : {}) });
    const latest = [...Array.from(series.values)].reverse().find((value) => typeof value === 'number' && Number.isFinite(value));
    const label = `${series.name}${axis === 'right' && hasRight ? ' (right)' : ''}${latest === undefined || latest === null ? '' : ` ${formatTick(Number(latest.toPrecision(4)))}`}`;
    shapes.push({ kind: 'text', x: legendX + 20, y: 20, text: label, className: 'legend-entry' });
    legendX += 20 + textWidth(label, 11) + 14;
    if (last) shapes.push({ kind: 'rect', x: last[0] - 2, y: last[1] - 2, width: 4, height: 4, fill: color });
  });
  return {
    width,
    height,
    title: options.title ?? 'Training curves',
    description: `${options.series.map((series) => series.name).join(', ')} over ${steps.length} ${options.xLabel ?? 'step'}s.`,
    fontSize: 11,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders training curves (loss and metrics per step or epoch) as a standalone SVG string.
 *
 * @example
 * ```ts
 * writeFileSync('curves.svg', trainingCurvesSvg({ ...history.data, styles: { accuracy: { axis: 'right' } }, rightLabel: 'accuracy' }));
 * ```
 */
export function trainingCurvesSvg(options: TrainingCurvesOptions): string {
  return sceneToSvg(trainingCurvesScene(options));
}

/**
 * Draws the static curves of {@link trainingCurvesSvg} on a canvas (call again to update; for an
 * interactive live chart use `createTrainingCurvesChart`).
 *
 * @example
 * ```ts
 * renderTrainingCurvesToCanvas(canvas, history.data);
 * ```
 */
export function renderTrainingCurvesToCanvas(canvas: CanvasLike, options: TrainingCurvesOptions, drawOptions?: DrawSceneOptions): Scene {
  return renderSceneToCanvas(canvas, trainingCurvesScene(options), drawOptions);
}
