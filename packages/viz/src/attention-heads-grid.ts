import { attentionHeatmapScene, type AttentionHeatmapOptions } from './attention-heatmap';
import { attentionLayer } from './attention-tensor';
import { colorLegendShapes, LEGEND_WIDTH } from './color-legend';
import { colorScale } from './color-scale';
import { translateShape, type Scene, type Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';

/** Input of {@link attentionHeadsGridSvg}: a heatmap's options, for several heads at once. */
export interface AttentionHeadsGridOptions extends Omit<AttentionHeatmapOptions, 'head' | 'legend'> {
  /** Heads to show, in order; default all heads of the layer. */
  heads?: readonly number[];
  /** Panels per row (default: up to 4). */
  columns?: number;
}

/**
 * Lays out small multiples: one attention heatmap per head of a layer, sharing one color scale
 * and one legend, so heads can be compared at a glance.
 *
 * @example
 * ```ts
 * // weights: Float32Array of shape (layers=2, heads=4, T=6, T=6)
 * const scene = attentionHeadsGridScene({ weights, shape: [2, 4, 6, 6], layer: 1, rowLabels: tokens, columnLabels: tokens });
 * ```
 */
export function attentionHeadsGridScene(options: AttentionHeadsGridOptions): Scene {
  const caller = 'attentionHeatmap';
  const layer = options.layer ?? 0;
  const data = attentionLayer(caller, options, layer);
  const heads = options.heads ?? Array.from({ length: data.heads }, (_, head) => head);
  if (heads.length === 0) throw new Error(`${caller}: heads must name at least one head`);
  let domain = options.domain;
  if (domain === undefined) {
    let min = Infinity;
    let max = -Infinity;
    for (const value of data.values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    domain = data.values.length === 0 || (min >= 0 && max <= 1) ? [0, 1] : [min, max];
  }
  const panels = heads.map((head) => attentionHeatmapScene({ ...options, head, domain, legend: false }));
  const columns = Math.max(1, Math.min(options.columns ?? 4, heads.length));
  const panelWidth = Math.max(...panels.map((panel) => panel.width));
  const panelHeight = Math.max(...panels.map((panel) => panel.height));
  const shapes: Shape[] = [];
  panels.forEach((panel, index) => {
    const dx = (index % columns) * panelWidth;
    const dy = Math.floor(index / columns) * panelHeight;
    for (const shape of panel.shapes) shapes.push(translateShape(shape, dx, dy));
  });
  const rows = Math.ceil(heads.length / columns);
  const legendX = columns * panelWidth + 8;
  const legendLength = Math.min(200, Math.max(80, panelHeight - 60));
  shapes.push(...colorLegendShapes(colorScale({ scheme: options.scheme ?? 'viridis', domain }), { x: legendX, y: 40, length: legendLength, label: 'weight' }));
  return {
    width: Math.ceil(legendX + LEGEND_WIDTH),
    height: Math.ceil(Math.max(rows * panelHeight, 40 + legendLength + 12)),
    title: options.title ?? `Attention weights of layer ${layer}, heads ${heads.join(', ')}`,
    description: `${heads.length} heatmaps of ${data.rows} queries × ${data.columns} keys on one color scale.`,
    fontSize: panels[0]!.fontSize,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders one heatmap per head of a layer (small multiples, one shared legend) as an SVG string.
 *
 * @example
 * ```ts
 * writeFileSync('heads.svg', attentionHeadsGridSvg({ weights, shape: [layers, heads, T, T], layer: 0, rowLabels: tokens, columnLabels: tokens }));
 * ```
 */
export function attentionHeadsGridSvg(options: AttentionHeadsGridOptions): string {
  return sceneToSvg(attentionHeadsGridScene(options));
}

/**
 * Draws the small multiples of {@link attentionHeadsGridSvg} on a canvas.
 *
 * @example
 * ```ts
 * renderAttentionHeadsGridToCanvas(canvas, { weights, shape: [layers, heads, T, T], layer: 1, cellSize: 12 });
 * ```
 */
export function renderAttentionHeadsGridToCanvas(canvas: CanvasLike, options: AttentionHeadsGridOptions, drawOptions?: DrawSceneOptions): Scene {
  return renderSceneToCanvas(canvas, attentionHeadsGridScene(options), drawOptions);
}
