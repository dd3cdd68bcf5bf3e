import { attentionMatrix, labelsOrIndices, type AttentionInput } from './attention-tensor';
import { colorLegendShapes, LEGEND_WIDTH } from './color-legend';
import { colorScale, contrastingText, type ColorSchemeName } from './color-scale';
import type { Scene, Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';
import { maxTextWidth } from './text-width';

/** Input of {@link attentionHeatmapSvg}, {@link attentionHeatmapScene} and {@link renderAttentionHeatmapToCanvas}. */
export interface AttentionHeatmapOptions extends AttentionInput {
  /** Layer to show when `shape` is (layers, heads, T, S); default 0. */
  layer?: number;
  /** Head to show when `shape` has heads, or `'mean'` for the average over heads; default 0. */
  head?: number | 'mean';
  /** One label per row (query tokens, T); default: row numbers. */
  rowLabels?: readonly string[];
  /** One label per column (key tokens, S); default: column numbers. */
  columnLabels?: readonly string[];
  /** Side of one cell in pixels; default fits the grid in about 480 pixels (24 for T, S ≤ 20; at least 4). */
  cellSize?: number;
  /** Accessible title of the figure (default "Attention weights"). */
  title?: string;
  /** Color scheme (default `viridis`: larger weights are lighter). */
  scheme?: ColorSchemeName;
  /** Values mapped to the ends of the scale; default [0, 1] when all weights lie in it, else [min, max] of the data. */
  domain?: readonly [number, number];
  /** Draw the color legend (default true). */
  legend?: boolean;
  /** Write each weight inside its cell (default false). */
  showValues?: boolean;
  /**
   * Cells masked out (padding, causal, window masks), (T, S) nested or flat: truthy = masked. They
   * are drawn light gray with the tooltip `query → key: masked`, whatever their weight.
   */
  masked?: ArrayLike<number | boolean> | ArrayLike<ArrayLike<number | boolean>>;
}

/** Reads a (rows, columns) mask given nested or flat; truthy = masked. */
function readMask(caller: string, masked: AttentionHeatmapOptions['masked'], rows: number, columns: number): (row: number, column: number) => boolean {
  if (masked === undefined) return () => false;
  const first = masked.length > 0 ? masked[0] : undefined;
  if (typeof first === 'object' && first !== null) {
    const nested = masked as ArrayLike<ArrayLike<number | boolean>>;
    const lengths = Array.from(nested, (row) => row.length);
    if (nested.length !== rows || lengths.some((length) => length !== columns)) {
      throw new Error(`${caller}: masked must be (T, S) = (${rows}, ${columns}); got ${nested.length} rows of lengths [${lengths.join(', ')}]`);
    }
    return (row, column) => Boolean(nested[row]![column]);
  }
  const flat = masked as ArrayLike<number | boolean>;
  if (flat.length !== rows * columns) throw new Error(`${caller}: masked must have T × S = ${rows * columns} values; got ${flat.length}`);
  return (row, column) => Boolean(flat[row * columns + column]);
}

const FONT = 11;
const MASKED_FILL = '#d9d9d9';

/**
 * Lays out an attention heatmap (queries down, keys across) as a {@link Scene}: one `cell` rect
 * per weight with a tooltip `query → key: 0.500`, token labels, and a color legend.
 *
 * @example
 * ```ts
 * // weights: Float32Array of shape (layers=2, heads=4, T=3, S=3)
 * const scene = attentionHeatmapScene({ weights, shape: [2, 4, 3, 3], layer: 1, head: 2, rowLabels: tokens, columnLabels: tokens });
 * ```
 */
export function attentionHeatmapScene(options: AttentionHeatmapOptions): Scene {
  const caller = 'attentionHeatmap';
  const matrix = attentionMatrix(caller, options, options.layer ?? 0, options.head ?? 0);
  const { rows, columns, values } = matrix;
  const rowLabels = labelsOrIndices(caller, 'rowLabels', options.rowLabels, rows, 'row (T)');
  const columnLabels = labelsOrIndices(caller, 'columnLabels', options.columnLabels, columns, 'column (S)');
  let domain = options.domain;
  if (domain === undefined) {
    let min = Infinity;
    let max = -Infinity;
    for (const value of values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    domain = values.length === 0 || (min >= 0 && max <= 1) ? [0, 1] : [min, max];
  }
  const scale = colorScale({ scheme: options.scheme ?? 'viridis', domain });
  const isMasked = readMask(caller, options.masked, rows, columns);
  const cell = options.cellSize ?? Math.max(4, Math.min(24, Math.floor(480 / Math.max(1, rows, columns))));
  // Labels shrink with small cells so neighbours do not overlap.
  const labelSize = Math.max(5, Math.min(FONT, cell - 1));
  const caption = options.shape && options.shape.length > 2 ? `${options.shape.length === 4 ? `layer ${options.layer ?? 0}, ` : ''}head ${options.head ?? 0}` : undefined;
  const captionHeight = caption === undefined ? 0 : 18;
  const columnLabelWidth = maxTextWidth(columnLabels, labelSize);
  const left = 8 + maxTextWidth(rowLabels, labelSize) + 6;
  const top = captionHeight + 8 + columnLabelWidth * 0.87 + 6;
  const gridRight = left + columns * cell;
  const legend = options.legend ?? true;
  const legendX = Math.max(gridRight + 16, left + columns * cell + columnLabelWidth * 0.5 + 4);
  const width = Math.ceil(legend ? legendX + LEGEND_WIDTH : Math.max(gridRight + 4, legendX));
  const legendLength = Math.max(80, Math.min(200, rows * cell));
  const height = Math.ceil(Math.max(top + rows * cell + 4, legend ? top + legendLength + 8 : 0));
  const shapes: Shape[] = [];
  if (caption !== undefined) shapes.push({ kind: 'text', x: 8, y: 14, text: caption, bold: true, className: 'caption' });
  columnLabels.forEach((label, column) => {
    const x = left + column * cell + cell / 2 + labelSize * 0.35;
    shapes.push({ kind: 'text', x, y: top - 4, text: label, rotate: -60, className: 'column-label', ...(labelSize < FONT ? { size: labelSize } : {}) });
  });
  for (let row = 0; row < rows; row++) {
    const y = top + row * cell;
    shapes.push({ kind: 'text', x: left - 6, y: y + cell / 2 + labelSize * 0.35, text: rowLabels[row]!, anchor: 'end', className: 'row-label', ...(labelSize < FONT ? { size: labelSize } : {}) });
    for (let column = 0; column < columns; column++) {
      const weight = values[row * columns + column]!;
      if (isMasked(row, column)) {
        shapes.push({
          kind: 'rect',
          className: 'cell',
          x: left + column * cell,
          y,
          width: cell,
          height: cell,
          fill: MASKED_FILL,
          stroke: '#fff',
          title: `${rowLabels[row]} → ${columnLabels[column]}: masked`,
          data: { row, column, weight: Number(weight.toPrecision(6)), masked: 1 },
        });
        continue;
      }
      const rgb = scale.rgb(weight);
      shapes.push({
        kind: 'rect',
        className: 'cell',
        x: left + column * cell,
        y,
        width: cell,
        height: cell,
        fill: `rgb(${rgb[0]},${rgb[1]},${rgb[2]})`,
        title: `${rowLabels[row]} → ${columnLabels[column]}: ${weight.toFixed(3)}`,
        data: { row, column, weight: Number(weight.toPrecision(6)) },
      });
      if (options.showValues) {
        shapes.push({ kind: 'text', x: left + column * cell + cell / 2, y: y + cell / 2 + 3, text: weight.toFixed(2).replace(/^0\./, '.'), anchor: 'middle', size: Math.min(10, cell / 2.6), fill: contrastingText(rgb), className: 'value' });
      }
    }
  }
  if (legend) shapes.push(...colorLegendShapes(scale, { x: legendX, y: top, length: legendLength, label: 'weight' }));
  return {
    width,
    height,
    title: options.title ?? 'Attention weights',
    description: `Heatmap of ${rows} queries × ${columns} keys${caption === undefined ? '' : ` (${caption})`}.`,
    fontSize: FONT,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders an attention matrix as a standalone SVG heatmap (queries down, keys across), with
 * token labels, a `<title>` per cell giving the exact weight, and a color legend. Give nested
 * rows (T, S), or a flat array with `shape` (layers, heads, T, S) and pick `layer` and `head`.
 *
 * @example
 * ```ts
 * const svg = attentionHeatmapSvg({
 *   weights: [[0.9, 0.1], [0.2, 0.8]],
 *   rowLabels: ['le', 'chat'],
 *   columnLabels: ['the', 'cat'],
 * });
 * writeFileSync('heatmap.svg', svg); // or: element.innerHTML = svg
 * ```
 */
export function attentionHeatmapSvg(options: AttentionHeatmapOptions): string {
  return sceneToSvg(attentionHeatmapScene(options));
}

/**
 * Draws the heatmap of {@link attentionHeatmapSvg} on a canvas (resized to fit, high-DPI aware).
 * Returns the scene, so `hitTest(scene, x, y)` can drive tooltips.
 *
 * @example
 * ```ts
 * const scene = renderAttentionHeatmapToCanvas(canvas, { weights, shape: [layers, heads, T, S], layer: 0, head: 'mean' });
 * canvas.onmousemove = (event) => (canvas.title = hitTest(scene, event.offsetX, event.offsetY)?.title ?? '');
 * ```
 */
export function renderAttentionHeatmapToCanvas(canvas: CanvasLike, options: AttentionHeatmapOptions, drawOptions?: DrawSceneOptions): Scene {
  return renderSceneToCanvas(canvas, attentionHeatmapScene(options), drawOptions);
}
