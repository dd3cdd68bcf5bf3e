/** An sRGB color with 0-255 channels. */
export type Rgb = readonly [number, number, number];

/**
 * Built-in color schemes. Sequential: `viridis`, `magma` (dark → light, perceptually ordered),
 * `oranges`, `blues` (white → dark, for backgrounds behind text). Diverging: `rdbu`
 * (blue → white → red, for signed scores).
 */
export type ColorSchemeName = 'viridis' | 'magma' | 'oranges' | 'blues' | 'rdbu';

const hex = (code: string): Rgb => [
  Number.parseInt(code.slice(1, 3), 16),
  Number.parseInt(code.slice(3, 5), 16),
  Number.parseInt(code.slice(5, 7), 16),
];

/** Evenly spaced anchors of each scheme (viridis/magma: matplotlib; oranges/blues/rdbu: ColorBrewer). */
const SCHEMES: Record<ColorSchemeName, readonly Rgb[]> = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'].map(hex),
  magma: ['#000004', '#180f3d', '#440f76', '#721f81', '#9e2f7f', '#cd4071', '#f1605d', '#fd9668', '#feca8d', '#fcfdbf'].map(hex),
  oranges: ['#fff5eb', '#fee6ce', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704'].map(hex),
  blues: ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'].map(hex),
  rdbu: ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'].map(hex),
};

/**
 * Whether a scheme is diverging (its middle color means zero).
 *
 * @example
 * ```ts
 * isDiverging('rdbu'); // true
 * ```
 */
export const isDiverging = (scheme: ColorSchemeName): boolean => scheme === 'rdbu';

/** Maps numbers to colors. */
export interface ColorScale {
  readonly scheme: ColorSchemeName;
  /** Values at or below `domain[0]` get the first color, at or above `domain[1]` the last. */
  readonly domain: readonly [number, number];
  /** The color of `value`. */
  rgb(value: number): Rgb;
  /** The color of `value` as CSS `rgb(r,g,b)`. */
  css(value: number): string;
  /** Position of `value` in the domain, clamped to [0, 1]. */
  fraction(value: number): number;
}

/** Options of {@link colorScale}. */
export interface ColorScaleOptions {
  /** Default `viridis`. */
  scheme?: ColorSchemeName;
  /** [min, max] mapped to the ends of the scheme; default [0, 1]. */
  domain?: readonly [number, number];
}

/**
 * Formats a color as CSS `rgb(r,g,b)`.
 *
 * @example
 * ```ts
 * rgbCss([68, 1, 84]); // 'rgb(68,1,84)'
 * ```
 */
export const rgbCss = ([r, g, b]: Rgb): string => `rgb(${r},${g},${b})`;

/**
 * The color of fraction `t` in [0, 1] along a scheme, interpolated linearly between anchors.
 *
 * @example
 * ```ts
 * schemeColor('viridis', 0); // [68, 1, 84]
 * ```
 */
export function schemeColor(scheme: ColorSchemeName, t: number): Rgb {
  const anchors = SCHEMES[scheme];
  const position = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (anchors.length - 1);
  const index = Math.min(anchors.length - 2, Math.floor(position));
  const local = position - index;
  const from = anchors[index]!;
  const to = anchors[index + 1]!;
  return [0, 1, 2].map((channel) => Math.round(from[channel]! + (to[channel]! - from[channel]!) * local)) as unknown as Rgb;
}

/**
 * A color scale over a domain. Sequential schemes are ordered by lightness, so larger values are
 * always lighter (viridis, magma) or always darker (oranges, blues); equal steps look equal.
 *
 * @example
 * ```ts
 * const scale = colorScale({ scheme: 'viridis', domain: [0, 1] });
 * scale.css(0.5); // 'rgb(33,145,140)'
 * ```
 */
export function colorScale(options: ColorScaleOptions = {}): ColorScale {
  const scheme = options.scheme ?? 'viridis';
  if (!(scheme in SCHEMES)) {
    throw new Error(`colorScale: scheme must be one of ${Object.keys(SCHEMES).join(', ')}; got ${JSON.stringify(scheme)}`);
  }
  const [min, max] = options.domain ?? [0, 1];
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max >= min)) {
    throw new Error(`colorScale: domain must be two finite numbers [min, max] with min <= max; got [${min}, ${max}]`);
  }
  const fraction = (value: number) => (max === min ? (value >= max ? 1 : 0) : Math.min(1, Math.max(0, (value - min) / (max - min))));
  const rgb = (value: number) => schemeColor(scheme, fraction(value));
  return { scheme, domain: [min, max], rgb, css: (value) => rgbCss(rgb(value)), fraction };
}

/**
 * WCAG relative luminance of a color, in [0, 1].
 *
 * @example
 * ```ts
 * relativeLuminance([255, 255, 255]); // 1
 * ```
 */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * Black or white, whichever contrasts more with `background` (for text drawn on a colored cell).
 *
 * @example
 * ```ts
 * contrastingText([68, 1, 84]); // '#fff'
 * ```
 */
export const contrastingText = (background: Rgb): string => (relativeLuminance(background) > 0.179 ? '#000' : '#fff');

/**
 * Distinct colors for attention heads (Tableau 10), repeating after ten heads.
 *
 * @example
 * ```ts
 * HEAD_COLORS[0]; // '#4e79a7'
 * ```
 */
export const HEAD_COLORS: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

/**
 * The color of head `head` (0-based), cycling through {@link HEAD_COLORS}.
 *
 * @example
 * ```ts
 * headColor(11); // same as headColor(1)
 * ```
 */
export const headColor = (head: number): string => HEAD_COLORS[((head % HEAD_COLORS.length) + HEAD_COLORS.length) % HEAD_COLORS.length]!;
