import { toMatrix } from './attention-tensor';
import { colorLegendShapes, LEGEND_WIDTH } from './color-legend';
import { colorScale, type ColorSchemeName } from './color-scale';
import { toRgba, type ImageUrl, type RasterImage } from './raster-image';
import type { Scene, Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';

/** Input of {@link patchAttentionOverlaySvg} and {@link renderPatchAttentionOverlayToCanvas}. */
export interface PatchAttentionOverlayOptions {
  /** The image: its pixels (gray, RGB or RGBA) or a URL with its size. */
  image: RasterImage | ImageUrl;
  /**
   * One weight per patch: nested (gridRows, gridCols), or flat row-major (gridRows · gridCols), e.g.
   * the [CLS] row of an attention map or of {@link attentionRollout} without the [CLS] column.
   */
  weights: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** (gridRows, gridCols) for flat weights; default a square grid. */
  grid?: readonly [number, number];
  /** Displayed image width in pixels (default 280); height keeps the aspect ratio. */
  size?: number;
  /** `color` (default): patches tinted by the color scale; `spotlight`: a dark veil over weakly attended patches. */
  mode?: 'color' | 'spotlight';
  /** Strongest overlay opacity, 0-1 (default 0.6). */
  opacity?: number;
  /** Default `viridis`. */
  scheme?: ColorSchemeName;
  /** Default [0, largest weight]. */
  domain?: readonly [number, number];
  /** Draw patch borders (default true). */
  gridLines?: boolean;
  /** Draw the color legend (default true, false in `spotlight` mode where the veil is gray). */
  legend?: boolean;
  /** Accessible title (default "Patch attention"). */
  title?: string;
}

const isUrl = (image: RasterImage | ImageUrl): image is ImageUrl => typeof (image as ImageUrl).url === 'string';

/**
 * Lays out a patch-attention overlay as a {@link Scene}: the image, one `patch` rect per grid
 * cell tinted by its weight (with a title), optional grid lines, and a legend.
 *
 * @example
 * ```ts
 * const scene = patchAttentionOverlayScene({ image: { width: 28, height: 28, pixels: digit }, weights: cls.slice(1), grid: [7, 7] });
 * ```
 */
export function patchAttentionOverlayScene(options: PatchAttentionOverlayOptions): Scene {
  const caller = 'patchAttentionOverlay';
  const { image } = options;
  let rows: number;
  let columns: number;
  let values: Float32Array;
  const first = options.weights.length > 0 ? options.weights[0] : undefined;
  if (typeof first === 'object') {
    ({ rows, columns, values } = toMatrix(caller, 'weights', options.weights as ArrayLike<ArrayLike<number>>));
    if (options.grid && (options.grid[0] !== rows || options.grid[1] !== columns)) {
      throw new Error(`${caller}: grid [${options.grid.join(', ')}] does not match nested weights of ${rows} × ${columns}`);
    }
  } else {
    const flat = options.weights as ArrayLike<number>;
    if (options.grid) {
      [rows, columns] = options.grid;
    } else {
      rows = Math.round(Math.sqrt(flat.length));
      columns = rows;
      if (rows * columns !== flat.length) {
        throw new Error(`${caller}: weights has ${flat.length} values, not a square number; pass grid [rows, cols]`);
      }
    }
    if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows <= 0 || columns <= 0 || rows * columns !== flat.length) {
      throw new Error(`${caller}: weights has ${flat.length} values but grid [${rows}, ${columns}] needs ${rows * columns}`);
    }
    values = new Float32Array(flat.length);
    for (let index = 0; index < flat.length; index++) {
      const value = Number(flat[index]);
      if (!Number.isFinite(value)) throw new Error(`${caller}: weights[${index}] must be a finite number; got ${value}`);
      values[index] = value;
    }
  }
  const rgba = isUrl(image) ? undefined : toRgba(caller, image);
  if (isUrl(image) && !(image.width > 0 && image.height > 0)) {
    throw new Error(`${caller}: image width and height must be positive; got ${image.width} × ${image.height}`);
  }
  const max = values.reduce((best, value) => Math.max(best, value), 0);
  const scale = colorScale({ scheme: options.scheme ?? 'viridis', domain: options.domain ?? [0, max > 0 ? max : 1] });
  const opacity = Math.min(1, Math.max(0, options.opacity ?? 0.6));
  const displayWidth = options.size ?? 280;
  const displayHeight = (displayWidth * image.height) / image.width;
  const left = 8;
  const top = 8;
  const legend = options.legend ?? options.mode !== 'spotlight';
  const shapes: Shape[] = [
    rgba
      ? { kind: 'image', className: 'image', x: left, y: top, width: displayWidth, height: displayHeight, rgba, pixelWidth: image.width, pixelHeight: image.height }
      : { kind: 'image', className: 'image', x: left, y: top, width: displayWidth, height: displayHeight, href: (image as ImageUrl).url },
  ];
  const patchWidth = displayWidth / columns;
  const patchHeight = displayHeight / rows;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const weight = values[row * columns + column]!;
      const fraction = scale.fraction(weight);
      const spotlight = options.mode === 'spotlight';
      shapes.push({
        kind: 'rect',
        className: 'patch',
        x: left + column * patchWidth,
        y: top + row * patchHeight,
        width: patchWidth,
        height: patchHeight,
        fill: spotlight ? '#000' : scale.css(weight),
        opacity: Number((spotlight ? (1 - fraction) * opacity : opacity).toFixed(4)),
        title: `patch (${row}, ${column}): ${weight.toFixed(3)}`,
        data: { row, column, weight: Number(weight.toPrecision(6)) },
      });
    }
  }
  if (options.gridLines ?? true) {
    for (let row = 1; row < rows; row++) {
      shapes.push({ kind: 'line', x1: left, y1: top + row * patchHeight, x2: left + displayWidth, y2: top + row * patchHeight, stroke: '#fff', opacity: 0.35 });
    }
    for (let column = 1; column < columns; column++) {
      shapes.push({ kind: 'line', x1: left + column * patchWidth, y1: top, x2: left + column * patchWidth, y2: top + displayHeight, stroke: '#fff', opacity: 0.35 });
    }
  }
  if (legend) shapes.push(...colorLegendShapes(scale, { x: left + displayWidth + 16, y: top + 14, length: Math.min(200, displayHeight - 14), label: 'weight' }));
  return {
    width: Math.ceil(left + displayWidth + (legend ? 16 + LEGEND_WIDTH : 8)),
    height: Math.ceil(top + displayHeight + 8),
    title: options.title ?? 'Patch attention',
    description: `${rows} × ${columns} patch weights over a ${image.width} × ${image.height} image.`,
    fontSize: 11,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders patch weights over an image as a standalone SVG string (pixels embedded as a PNG data
 * URL, or the image URL referenced).
 *
 * @example
 * ```ts
 * writeFileSync('digit.svg', patchAttentionOverlaySvg({ image: { width: 28, height: 28, pixels }, weights: rollout7x7 }));
 * ```
 */
export function patchAttentionOverlaySvg(options: PatchAttentionOverlayOptions): string {
  return sceneToSvg(patchAttentionOverlayScene(options));
}

/**
 * Draws the overlay of {@link patchAttentionOverlaySvg} on a canvas. Image URLs are loaded first
 * (the promise rejects when loading fails); pixel images draw at once.
 *
 * @example
 * ```ts
 * await renderPatchAttentionOverlayToCanvas(canvas, { image: { url: '/cat.png', width: 224, height: 224 }, weights, grid: [14, 14] });
 * ```
 */
export async function renderPatchAttentionOverlayToCanvas(canvas: CanvasLike, options: PatchAttentionOverlayOptions, drawOptions: DrawSceneOptions = {}): Promise<Scene> {
  const scene = patchAttentionOverlayScene(options);
  const { image } = options;
  if (!isUrl(image) || drawOptions.images?.has(image.url)) return renderSceneToCanvas(canvas, scene, drawOptions);
  const element = new Image();
  element.src = image.url;
  try {
    await element.decode();
  } catch (error) {
    throw new Error(`renderPatchAttentionOverlayToCanvas: could not load image.url ${JSON.stringify(image.url.slice(0, 80))}`, { cause: error });
  }
  return renderSceneToCanvas(canvas, scene, { ...drawOptions, images: new Map([...(drawOptions.images ?? []), [image.url, element]]) });
}
