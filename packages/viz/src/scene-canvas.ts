import type { Scene, Shape } from './scene';

/** The part of `CanvasRenderingContext2D` that {@link drawScene} uses. */
export type Canvas2D = Pick<
  CanvasRenderingContext2D,
  | 'save'
  | 'restore'
  | 'setTransform'
  | 'translate'
  | 'rotate'
  | 'clearRect'
  | 'fillRect'
  | 'strokeRect'
  | 'fillText'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'setLineDash'
  | 'createLinearGradient'
  | 'drawImage'
  | 'fillStyle'
  | 'strokeStyle'
  | 'globalAlpha'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
>;

/** A canvas element (`HTMLCanvasElement`, `OffscreenCanvas`, or anything with the same shape). */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(contextId: '2d'): Canvas2D | null;
  style?: { width: string; height: string };
}

/** Options of {@link drawScene} and the `render…ToCanvas` functions. */
export interface DrawSceneOptions {
  /** Preloaded images for image shapes with an `href` (keyed by href); others are skipped. */
  images?: ReadonlyMap<string, CanvasImageSource>;
  /** Device pixels per CSS pixel; default `globalThis.devicePixelRatio` or 1. */
  pixelRatio?: number;
}

function drawShape(context: Canvas2D, shape: Shape, scene: Scene, options: DrawSceneOptions): void {
  context.save();
  switch (shape.kind) {
    case 'rect':
      context.globalAlpha = shape.opacity ?? 1;
      if (shape.fill !== 'none') {
        context.fillStyle = shape.fill;
        context.fillRect(shape.x, shape.y, shape.width, shape.height);
      }
      if (shape.stroke !== undefined) {
        context.strokeStyle = shape.stroke;
        context.strokeRect(shape.x, shape.y, shape.width, shape.height);
      }
      break;
    case 'text':
      context.fillStyle = shape.fill ?? '#000';
      context.font = `${shape.bold ? 'bold ' : ''}${shape.size ?? scene.fontSize}px sans-serif`;
      context.textAlign = shape.anchor === 'middle' ? 'center' : shape.anchor === 'end' ? 'right' : 'left';
      context.textBaseline = 'alphabetic';
      context.translate(shape.x, shape.y);
      if (shape.rotate) context.rotate((shape.rotate * Math.PI) / 180);
      context.fillText(shape.text, 0, 0);
      break;
    case 'line':
      context.globalAlpha = shape.opacity ?? 1;
      context.strokeStyle = shape.stroke;
      context.lineWidth = shape.width ?? 1;
      context.setLineDash(shape.dash ? [...shape.dash] : []);
      context.beginPath();
      context.moveTo(shape.x1, shape.y1);
      context.lineTo(shape.x2, shape.y2);
      context.stroke();
      break;
    case 'polyline': {
      context.strokeStyle = shape.stroke;
      context.lineWidth = shape.width ?? 1.5;
      context.setLineDash(shape.dash ? [...shape.dash] : []);
      context.beginPath();
      let pen = false;
      for (const point of shape.points) {
        if (point === null) pen = false;
        else if (pen) context.lineTo(point[0], point[1]);
        else {
          context.moveTo(point[0], point[1]);
          pen = true;
        }
      }
      context.stroke();
      break;
    }
    case 'image':
      if (shape.rgba && shape.pixelWidth && shape.pixelHeight) {
        // One rectangle per run of equal pixels: respects the canvas transform, stays pixelated.
        const { rgba, pixelWidth, pixelHeight } = shape;
        const sx = shape.width / pixelWidth;
        const sy = shape.height / pixelHeight;
        for (let y = 0; y < pixelHeight; y++) {
          let x = 0;
          while (x < pixelWidth) {
            const at = (y * pixelWidth + x) * 4;
            let end = x + 1;
            while (end < pixelWidth && [0, 1, 2, 3].every((c) => rgba[(y * pixelWidth + end) * 4 + c] === rgba[at + c])) end++;
            context.fillStyle = `rgba(${rgba[at]},${rgba[at + 1]},${rgba[at + 2]},${(rgba[at + 3] ?? 255) / 255})`;
            context.fillRect(shape.x + x * sx, shape.y + y * sy, (end - x) * sx, sy);
            x = end;
          }
        }
      } else if (shape.href !== undefined) {
        const image = options.images?.get(shape.href);
        if (image) context.drawImage(image, shape.x, shape.y, shape.width, shape.height);
      }
      break;
    case 'gradient': {
      const gradient =
        shape.direction === 'right'
          ? context.createLinearGradient(shape.x, 0, shape.x + shape.width, 0)
          : context.createLinearGradient(0, shape.y + shape.height, 0, shape.y);
      const last = Math.max(1, shape.stops.length - 1);
      shape.stops.forEach((color, index) => gradient.addColorStop(index / last, color));
      context.fillStyle = gradient;
      context.fillRect(shape.x, shape.y, shape.width, shape.height);
      break;
    }
  }
  context.restore();
}

/**
 * Paints a {@link Scene} on a 2D context in scene coordinates (apply any scaling first).
 *
 * @example
 * ```ts
 * drawScene(canvas.getContext('2d')!, attentionHeatmapScene({ weights: [[1, 0], [0, 1]] }));
 * ```
 */
export function drawScene(context: Canvas2D, scene: Scene, options: DrawSceneOptions = {}): void {
  context.save();
  context.clearRect(0, 0, scene.width, scene.height);
  if (scene.background !== undefined) {
    context.fillStyle = scene.background;
    context.fillRect(0, 0, scene.width, scene.height);
  }
  for (const shape of scene.shapes) drawShape(context, shape, scene, options);
  context.restore();
}

/**
 * Sizes `canvas` to the scene (sharp on high-DPI screens: the backing store is multiplied by the
 * pixel ratio and CSS size is set to the scene size) and paints it.
 *
 * @example
 * ```ts
 * renderSceneToCanvas(document.querySelector('canvas')!, headViewScene({ weights, shape, tokens }));
 * ```
 */
export function renderSceneToCanvas(canvas: CanvasLike, scene: Scene, options: DrawSceneOptions = {}): Scene {
  const ratio = options.pixelRatio ?? (globalThis as { devicePixelRatio?: number }).devicePixelRatio ?? 1;
  canvas.width = Math.ceil(scene.width * ratio);
  canvas.height = Math.ceil(scene.height * ratio);
  if (canvas.style) {
    canvas.style.width = `${scene.width}px`;
    canvas.style.height = `${scene.height}px`;
  }
  const context = canvas.getContext('2d');
  if (!context) throw new Error('renderSceneToCanvas: canvas.getContext("2d") returned null');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  drawScene(context, scene, options);
  return scene;
}
