/**
 * A scene is the device-independent drawing every visualization builds once: a list of simple
 * shapes in pixel coordinates. {@link sceneToSvg} serializes it to an SVG string and
 * {@link drawScene} paints it on a canvas, so both outputs share layout and colors exactly.
 */

/** A filled rectangle. `title` becomes an SVG `<title>` tooltip (and is what {@link hitTest} returns). */
export interface RectShape {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  /** 0-1, default 1. */
  opacity?: number;
  stroke?: string;
  title?: string;
  /** SVG class (used by tests and for styling). */
  className?: string;
  /** Extra data attributes for SVG (`data-<key>`), e.g. row and column indices. */
  data?: Record<string, string | number>;
}

/** A line of text whose baseline starts, centers or ends at (x, y). */
export interface TextShape {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  /** Default `start`. */
  anchor?: 'start' | 'middle' | 'end';
  /** Degrees, clockwise, around (x, y). */
  rotate?: number;
  fill?: string;
  /** Pixels; default the scene's font size. */
  size?: number;
  bold?: boolean;
  className?: string;
}

/** A straight line segment. */
export interface LineShape {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  /** Default 1. */
  width?: number;
  /** 0-1, default 1. */
  opacity?: number;
  /** Dash pattern, e.g. [4, 2]. */
  dash?: readonly number[];
  title?: string;
  className?: string;
  data?: Record<string, string | number>;
}

/** An open polyline; `null` points break the line (gaps in a series). */
export interface PolylineShape {
  kind: 'polyline';
  points: ReadonlyArray<readonly [number, number] | null>;
  stroke: string;
  width?: number;
  /** Dash pattern, e.g. [5, 3]. */
  dash?: readonly number[];
  className?: string;
  title?: string;
}

/** A raster image: an RGBA pixel buffer (drawn pixelated) or a URL. */
export interface ImageShape {
  kind: 'image';
  x: number;
  y: number;
  width: number;
  height: number;
  /** URL or data URL (SVG uses it as `href`; canvas needs it preloaded, see {@link DrawSceneOptions}). */
  href?: string;
  /** Straight RGBA, `pixelWidth × pixelHeight × 4` bytes. */
  rgba?: Uint8ClampedArray;
  pixelWidth?: number;
  pixelHeight?: number;
  className?: string;
}

/** A rectangle filled with a linear gradient (color legends). */
export interface GradientShape {
  kind: 'gradient';
  x: number;
  y: number;
  width: number;
  height: number;
  /** Colors at evenly spaced offsets, first at the start. */
  stops: readonly string[];
  /** `up`: first stop at the bottom; `right`: first stop at the left. */
  direction: 'up' | 'right';
  className?: string;
}

/** Any shape of a {@link Scene}. */
export type Shape = RectShape | TextShape | LineShape | PolylineShape | ImageShape | GradientShape;

/** A complete drawing. */
export interface Scene {
  width: number;
  height: number;
  /** Accessible name of the figure. */
  title: string;
  /** Optional longer description (SVG `<desc>`). */
  description?: string;
  /** Default font size in pixels. */
  fontSize: number;
  /** Page color behind everything; none when undefined. */
  background?: string;
  shapes: Shape[];
}

/**
 * The topmost shape with a `title` under point (x, y), for tooltips on canvas renderings
 * (SVG gets native tooltips from `<title>`).
 *
 * @example
 * ```ts
 * const scene = attentionHeatmapScene({ weights: [[0.9, 0.1]] });
 * hitTest(scene, 40, 30)?.title; // e.g. '0 → 1: 0.100'
 * ```
 */
export function hitTest(scene: Scene, x: number, y: number): RectShape | undefined {
  for (let index = scene.shapes.length - 1; index >= 0; index--) {
    const shape = scene.shapes[index]!;
    if (shape.kind === 'rect' && shape.title !== undefined && x >= shape.x && x < shape.x + shape.width && y >= shape.y && y < shape.y + shape.height) {
      return shape;
    }
  }
  return undefined;
}

/**
 * Rounds a coordinate for compact output (two decimals).
 *
 * @example
 * ```ts
 * round(1.23456); // 1.23
 * ```
 */
export const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * A copy of `shape` moved by (dx, dy), for composing scenes (e.g. small multiples).
 *
 * @example
 * ```ts
 * const moved = scene.shapes.map((shape) => translateShape(shape, 200, 0));
 * ```
 */
export function translateShape(shape: Shape, dx: number, dy: number): Shape {
  switch (shape.kind) {
    case 'line':
      return { ...shape, x1: shape.x1 + dx, y1: shape.y1 + dy, x2: shape.x2 + dx, y2: shape.y2 + dy };
    case 'polyline':
      return { ...shape, points: shape.points.map((point) => (point === null ? null : ([point[0] + dx, point[1] + dy] as const))) };
    default:
      return { ...shape, x: shape.x + dx, y: shape.y + dy };
  }
}
