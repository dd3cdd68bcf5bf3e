import { attentionMatrix, labelsOrIndices, type AttentionInput } from './attention-tensor';

/** Input of {@link attentionHeatmapText}. */
export interface AttentionHeatmapTextOptions extends AttentionInput {
  /** Layer to show when `shape` is (layers, heads, T, S); default 0. */
  layer?: number;
  /** Head to show when `shape` has heads, or `'mean'` for the average over heads; default 0. */
  head?: number | 'mean';
  /** One label per row (query tokens, T), written left of the row; default: row numbers. */
  rowLabels?: readonly string[];
  /** Characters from no weight to the most (default ` .:-=+*#%@`, ten steps). */
  shades?: string;
  /** Weights mapped to the first and last shade; default [0, the largest weight]. */
  domain?: readonly [number, number];
  /** Characters per cell (default 1; 2 keeps an image's patch grid square in a terminal). */
  cellWidth?: number;
}

/**
 * An attention map as a text heatmap for terminals and logs: one line per query (its label, then
 * one shade character per key, darker for more weight), the scale on the last line. The text
 * counterpart of {@link attentionHeatmapSvg}, with the same inputs.
 *
 * @example
 * ```ts
 * attentionHeatmapText({ weights: [[0.9, 0.1], [0.2, 0.8]], rowLabels: ['a', 'b'] });
 * // "a @.\nb :%\n  scale: ' ' 0 … '@' 0.9"
 * ```
 */
export function attentionHeatmapText(options: AttentionHeatmapTextOptions): string {
  const caller = 'attentionHeatmapText';
  const matrix = attentionMatrix(caller, options, options.layer ?? 0, options.head ?? 0);
  const labels = labelsOrIndices(caller, 'rowLabels', options.rowLabels, matrix.rows, 'row (query)');
  const shades = options.shades ?? ' .:-=+*#%@';
  if (shades.length < 2) throw new Error(`${caller}: shades must have at least 2 characters; got ${JSON.stringify(shades)}`);
  const cellWidth = options.cellWidth ?? 1;
  if (!Number.isInteger(cellWidth) || cellWidth < 1) throw new Error(`${caller}: cellWidth must be a positive integer; got ${cellWidth}`);
  let largest = 0;
  for (const value of matrix.values) largest = Math.max(largest, value);
  const [low, high] = options.domain ?? [0, largest];
  if (!(Number.isFinite(low) && Number.isFinite(high))) throw new Error(`${caller}: domain must be two finite numbers; got [${low}, ${high}]`);
  const span = high - low;
  const steps = shades.length - 1;
  const shade = (value: number) => {
    const level = span > 0 ? Math.round(((value - low) / span) * steps) : value > low ? steps : 0;
    return shades[Math.min(steps, Math.max(0, level))]!.repeat(cellWidth);
  };
  const width = Math.max(0, ...labels.map((label) => label.length));
  const lines = Array.from({ length: matrix.rows }, (_, row) => {
    let cells = '';
    for (let column = 0; column < matrix.columns; column++) cells += shade(matrix.values[row * matrix.columns + column]!);
    return `${labels[row]!.padStart(width)} ${cells}`;
  });
  lines.push(`${' '.repeat(width)} scale: '${shades[0]}' ${formatWeight(low)} … '${shades[steps]}' ${formatWeight(high)}`);
  return lines.join('\n');
}

const formatWeight = (value: number) => (Number.isInteger(value) ? String(value) : value.toPrecision(2).replace(/0+$/, '').replace(/\.$/, ''));
