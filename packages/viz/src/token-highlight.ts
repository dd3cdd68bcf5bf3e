import { colorLegendShapes } from './color-legend';
import { colorScale, contrastingText, rgbCss, type ColorScale, type ColorSchemeName } from './color-scale';
import type { Scene, Shape } from './scene';
import { renderSceneToCanvas, type CanvasLike, type DrawSceneOptions } from './scene-canvas';
import { sceneToSvg } from './scene-svg';
import { textWidth } from './text-width';

/** Input of the token highlighting functions ({@link tokenHighlightSvg}, `tokenHighlightHtml`, …). */
export interface TokenHighlightOptions {
  /** Tokens in reading order (N). */
  tokens: readonly string[];
  /** One score per token (N): attention from [CLS], a gradient × input attribution, … */
  scores: ArrayLike<number>;
  /** Signed scores use a diverging scale centered on 0; default: signed when any score is negative. */
  signed?: boolean;
  /** Default `rdbu` when signed, else `oranges` (white → dark, keeps text readable). */
  scheme?: ColorSchemeName;
  /** Default [-m, m] with m the largest |score| when signed, else [0, max score] (at least [0, 1e-12]). */
  domain?: readonly [number, number];
  /** Text between tokens (default ' '; use '' for subword pieces that carry their own spaces). */
  separator?: string;
  /** Accessible title (default "Token importance"). */
  title?: string;
  /** How a score is written in titles (default three decimals). */
  format?: (score: number) => string;
  /** Include a color legend (default true). */
  legend?: boolean;
  /** SVG/canvas only: wrap width in pixels (default 600). */
  maxWidth?: number;
  /** SVG/canvas only: font size in pixels (default 14). */
  fontSize?: number;
}

/** One highlighted token: its text, score and colors. */
export interface HighlightedToken {
  text: string;
  score: number;
  background: string;
  color: string;
  /** Tooltip and accessible description, e.g. `cat: 0.532`. */
  title: string;
}

/**
 * Validates the input and assigns each token its background and text color (shared by the HTML,
 * DOM, SVG and canvas renderers).
 *
 * @example
 * ```ts
 * const { tokens } = highlightTokens({ tokens: ['great', 'movie'], scores: [0.8, 0.2] });
 * tokens[0].background; // a dark orange
 * ```
 */
export function highlightTokens(options: TokenHighlightOptions): { tokens: HighlightedToken[]; scale: ColorScale } {
  const caller = 'tokenHighlight';
  const { tokens, scores } = options;
  if (scores.length !== tokens.length) {
    throw new Error(`${caller}: scores must have one score per token (${tokens.length}); got ${scores.length}`);
  }
  let maxAbs = 0;
  let max = 0;
  let anyNegative = false;
  for (let index = 0; index < scores.length; index++) {
    const score = Number(scores[index]);
    if (!Number.isFinite(score)) throw new Error(`${caller}: scores[${index}] must be a finite number; got ${score}`);
    maxAbs = Math.max(maxAbs, Math.abs(score));
    max = Math.max(max, score);
    anyNegative ||= score < 0;
  }
  const signed = options.signed ?? anyNegative;
  const domain = options.domain ?? (signed ? [-(maxAbs || 1), maxAbs || 1] : [0, max > 0 ? max : 1]);
  const scale = colorScale({ scheme: options.scheme ?? (signed ? 'rdbu' : 'oranges'), domain });
  const format = options.format ?? ((score: number) => score.toFixed(3));
  return {
    scale,
    tokens: tokens.map((text, index) => {
      const score = Number(scores[index]);
      const rgb = scale.rgb(score);
      return { text, score, background: rgbCss(rgb), color: contrastingText(rgb), title: `${text}: ${format(score)}` };
    }),
  };
}

/**
 * Lays out highlighted tokens as a {@link Scene}: wrapped lines of `token` rects behind the text,
 * each with a title, and a horizontal legend below.
 *
 * @example
 * ```ts
 * const scene = tokenHighlightScene({ tokens: ['not', 'bad'], scores: [-0.4, 0.9] });
 * ```
 */
export function tokenHighlightScene(options: TokenHighlightOptions): Scene {
  const { tokens, scale } = highlightTokens(options);
  const size = options.fontSize ?? 14;
  const maxWidth = options.maxWidth ?? 600;
  const lineHeight = Math.round(size * 1.8);
  const gap = textWidth(options.separator ?? ' ', size);
  const shapes: Shape[] = [];
  let x = 8;
  let line = 0;
  let widest = 0;
  tokens.forEach((token, index) => {
    const width = textWidth(token.text, size) + 4;
    if (x + width > maxWidth - 8 && x > 8) {
      line++;
      x = 8;
    }
    const y = 8 + line * lineHeight;
    shapes.push({ kind: 'rect', className: 'token', x, y, width, height: lineHeight - 4, fill: token.background, title: token.title, data: { index, score: Number(token.score.toPrecision(6)) } });
    shapes.push({ kind: 'text', x: x + 2, y: y + (lineHeight - 4) / 2 + size * 0.35, text: token.text, fill: token.color, size, className: 'token-text' });
    x += width + gap;
    widest = Math.max(widest, x);
  });
  let height = 8 + (line + 1) * lineHeight;
  const width = Math.ceil(Math.max(Math.min(maxWidth, widest + 8), options.legend === false ? 0 : 200));
  if (options.legend ?? true) {
    shapes.push(...colorLegendShapes(scale, { x: 8, y: height + 16, orientation: 'horizontal', length: 160, thickness: 10, label: 'score' }));
    height += 50;
  }
  return {
    width,
    height: Math.ceil(height),
    title: options.title ?? 'Token importance',
    description: tokens.map((token) => token.title).join('; '),
    fontSize: size,
    background: '#fff',
    shapes,
  };
}

/**
 * Renders highlighted tokens as a standalone SVG string (background intensity = score).
 *
 * @example
 * ```ts
 * writeFileSync('why.svg', tokenHighlightSvg({ tokens: ['free', 'money', 'now'], scores: [0.5, 0.9, 0.1] }));
 * ```
 */
export function tokenHighlightSvg(options: TokenHighlightOptions): string {
  return sceneToSvg(tokenHighlightScene(options));
}

/**
 * Draws the highlighted tokens of {@link tokenHighlightSvg} on a canvas.
 *
 * @example
 * ```ts
 * renderTokenHighlightToCanvas(canvas, { tokens, scores });
 * ```
 */
export function renderTokenHighlightToCanvas(canvas: CanvasLike, options: TokenHighlightOptions, drawOptions?: DrawSceneOptions): Scene {
  return renderSceneToCanvas(canvas, tokenHighlightScene(options), drawOptions);
}
