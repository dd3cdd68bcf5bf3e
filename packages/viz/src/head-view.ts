import { attentionLayer, labelsOrIndices, type AttentionInput } from './attention-tensor';
import { headColor } from './color-scale';
import type { Scene, Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';
import { maxTextWidth } from './text-width';

/** Input of {@link headViewSvg}, {@link headViewScene} and {@link renderHeadViewToCanvas}. */
export interface HeadViewOptions extends AttentionInput {
  /** Layer to show when `shape` is (layers, heads, T, S); default 0. */
  layer?: number;
  /** Heads to overlay, each in its own color (see `HEAD_COLORS`); default all heads of the layer. */
  heads?: readonly number[];
  /** Query tokens (left column), one per row T. */
  tokens: readonly string[];
  /** Key tokens (right column), one per column S; default `tokens` (self-attention). */
  keyTokens?: readonly string[];
  /** Only draw the lines leaving this query (like hovering a token in bertviz). */
  focus?: number;
  /** Lines with a weight below this are left out (default 0.01). */
  threshold?: number;
  /** Vertical distance between tokens in pixels (default 20). */
  rowHeight?: number;
  /** Horizontal gap between the two token columns in pixels (default 160). */
  gap?: number;
  /** Accessible title of the figure (default "Attention head view"). */
  title?: string;
}

const FONT = 12;

/**
 * Lays out a bertviz-style head view as a {@link Scene}: queries on the left, keys on the right,
 * one `edge` line per (head, query, key) with opacity equal to the weight, colored per head, and a
 * swatch per head. Each query token has an invisible `query-box` rect, so
 * `hitTest(scene, x, y)?.data?.query` finds the token under the pointer, e.g. to redraw with `focus`.
 *
 * @example
 * ```ts
 * // weights: Float32Array of shape (layers, heads, T, T)
 * const scene = headViewScene({ weights, shape: [2, 4, 6, 6], layer: 1, heads: [0, 3], tokens });
 * ```
 */
export function headViewScene(options: HeadViewOptions): Scene {
  const caller = 'headView';
  const layer = options.layer ?? 0;
  const data = attentionLayer(caller, options, layer);
  const tokens = labelsOrIndices(caller, 'tokens', options.tokens, data.rows, 'query row (T)');
  const keyTokens = labelsOrIndices(caller, 'keyTokens', options.keyTokens ?? (data.rows === data.columns ? options.tokens : undefined), data.columns, 'key column (S)');
  const heads = options.heads ?? Array.from({ length: data.heads }, (_, head) => head);
  for (const head of heads) {
    if (!Number.isInteger(head) || head < 0 || head >= data.heads) {
      throw new Error(`${caller}: heads must hold integers in [0, ${data.heads}); got ${head}`);
    }
  }
  const focus = options.focus;
  if (focus !== undefined && (!Number.isInteger(focus) || focus < 0 || focus >= data.rows)) {
    throw new Error(`${caller}: focus must be a query index in [0, ${data.rows}); got ${focus}`);
  }
  const threshold = options.threshold ?? 0.01;
  const rowHeight = options.rowHeight ?? 20;
  const gap = options.gap ?? 160;
  const leftWidth = maxTextWidth(tokens, FONT);
  const rightWidth = maxTextWidth(keyTokens, FONT);
  const swatchRow = 30;
  const top = swatchRow + 18;
  const leftX = 10 + leftWidth;
  const rightX = leftX + gap;
  const swatchesWidth = 10 + heads.length * 22;
  const width = Math.ceil(Math.max(rightX + rightWidth + 12, swatchesWidth));
  const height = Math.ceil(top + Math.max(data.rows, data.columns) * rowHeight + 6);
  const shapes: Shape[] = [];
  shapes.push({ kind: 'text', x: 10, y: 13, text: data.heads > 1 || options.shape?.length === 4 ? `layer ${layer}` : 'attention', bold: true, className: 'caption' });
  heads.forEach((head, index) => {
    shapes.push({ kind: 'rect', className: 'head-swatch', x: 10 + index * 22, y: 18, width: 18, height: 12, fill: headColor(head), title: `head ${head}`, data: { head } });
  });
  const y = (index: number) => top + index * rowHeight + rowHeight / 2;
  tokens.forEach((token, index) => {
    if (index === focus) shapes.push({ kind: 'rect', x: 6, y: y(index) - rowHeight / 2 + 1, width: leftWidth + 8, height: rowHeight - 2, fill: '#e8e8e8', className: 'focus' });
    shapes.push({ kind: 'text', x: leftX, y: y(index) + 4, text: token, anchor: 'end', className: 'query-token', bold: index === focus });
    // Invisible hit box: hitTest(scene, x, y)?.data?.query gives the token under the pointer (to set `focus`).
    shapes.push({ kind: 'rect', x: 6, y: y(index) - rowHeight / 2, width: leftWidth + 8, height: rowHeight, fill: 'none', className: 'query-box', title: `${token} (query ${index})`, data: { query: index } });
  });
  keyTokens.forEach((token, index) => {
    shapes.push({ kind: 'text', x: rightX + 6, y: y(index) + 4, text: token, className: 'key-token' });
  });
  const size = data.rows * data.columns;
  for (const head of heads) {
    for (let query = 0; query < data.rows; query++) {
      if (focus !== undefined && query !== focus) continue;
      for (let key = 0; key < data.columns; key++) {
        const weight = data.values[head * size + query * data.columns + key]!;
        if (!(weight >= threshold)) continue;
        shapes.push({
          kind: 'line',
          className: 'edge',
          x1: leftX + 4,
          y1: y(query),
          x2: rightX + 2,
          y2: y(key),
          stroke: headColor(head),
          width: 2,
          opacity: Math.min(1, weight),
          title: `${tokens[query]} → ${keyTokens[key]} (head ${head}): ${weight.toFixed(3)}`,
          data: { head, query, key },
        });
      }
    }
  }
  return {
    width,
    height,
    title: options.title ?? 'Attention head view',
    description: `Lines from ${data.rows} queries (left) to ${data.columns} keys (right), opacity = weight, heads ${heads.join(', ')} of layer ${layer}.`,
    fontSize: FONT,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders a bertviz-style head view as a standalone SVG string: lines between query and key
 * tokens, as opaque as their attention weight, one color per head.
 *
 * @example
 * ```ts
 * const svg = headViewSvg({ weights: [[0.9, 0.1], [0.3, 0.7]], tokens: ['hello', 'world'] });
 * ```
 */
export function headViewSvg(options: HeadViewOptions): string {
  return sceneToSvg(headViewScene(options));
}

/**
 * Draws the head view of {@link headViewSvg} on a canvas (resized to fit, high-DPI aware).
 *
 * @example
 * ```ts
 * renderHeadViewToCanvas(canvas, { weights, shape: [layers, heads, T, T], layer: 0, tokens, focus: 2 });
 * ```
 */
export function renderHeadViewToCanvas(canvas: CanvasLike, options: HeadViewOptions, drawOptions?: DrawSceneOptions): Scene {
  return renderSceneToCanvas(canvas, headViewScene(options), drawOptions);
}
