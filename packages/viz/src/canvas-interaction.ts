import { headViewScene, type HeadViewOptions } from './head-view';
import { hitTest, type Scene } from './scene';
import { renderSceneToCanvas, type DrawSceneOptions } from './scene-canvas';

/** The part of a canvas element that pointer interaction needs. */
type PointerCanvas = HTMLCanvasElement;

/**
 * Shows the `title` of the shape under the pointer (a cell, a patch, a token) as the canvas's
 * native tooltip, like `<title>` does in SVG. Returns a function that removes the listener.
 *
 * @example
 * ```ts
 * const scene = renderAttentionHeatmapToCanvas(canvas, options);
 * const detach = attachCanvasTooltips(canvas, scene);
 * ```
 */
export function attachCanvasTooltips(canvas: PointerCanvas, scene: Scene | (() => Scene)): () => void {
  const current = typeof scene === 'function' ? scene : () => scene;
  const move = (event: MouseEvent) => {
    canvas.title = hitTest(current(), event.offsetX, event.offsetY)?.title ?? '';
  };
  canvas.addEventListener('mousemove', move);
  return () => canvas.removeEventListener('mousemove', move);
}

/** What {@link attachHeadViewHover} returns. */
export interface HeadViewHover {
  /** The scene drawn now (with or without focus). */
  readonly scene: Scene;
  /** The focused query, or undefined. */
  readonly focus: number | undefined;
  /** Removes the listeners. */
  detach(): void;
}

/**
 * Draws a head view on a canvas and makes it interactive like bertviz: hovering a query token
 * shows only its lines; leaving the canvas shows all lines again. Tooltips name every token.
 *
 * @example
 * ```ts
 * const hover = attachHeadViewHover(canvas, { weights, shape: [layers, heads, T, T], layer: 2, tokens });
 * // later: hover.detach();
 * ```
 */
export function attachHeadViewHover(canvas: PointerCanvas, options: HeadViewOptions, drawOptions?: DrawSceneOptions): HeadViewHover {
  let focus = options.focus;
  let scene = renderSceneToCanvas(canvas, headViewScene(options), drawOptions);
  const draw = (next: number | undefined) => {
    if (next === focus) return;
    focus = next;
    scene = renderSceneToCanvas(canvas, headViewScene({ ...options, focus }), drawOptions);
  };
  const move = (event: MouseEvent) => {
    const hit = hitTest(scene, event.offsetX, event.offsetY);
    canvas.title = hit?.title ?? '';
    const query = hit?.data?.query;
    if (typeof query === 'number') draw(query);
  };
  const leave = () => draw(options.focus);
  canvas.addEventListener('mousemove', move);
  canvas.addEventListener('mouseleave', leave);
  return {
    get scene() {
      return scene;
    },
    get focus() {
      return focus;
    },
    detach() {
      canvas.removeEventListener('mousemove', move);
      canvas.removeEventListener('mouseleave', leave);
    },
  };
}
