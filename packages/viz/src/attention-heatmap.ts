/** Input of {@link attentionHeatmapSvg}. */
export interface AttentionHeatmapOptions {
  /** Attention weights as rows (queries) × columns (keys), each row usually summing to 1. */
  weights: ArrayLike<ArrayLike<number>>;
  /** One label per row (query tokens); default: row numbers. */
  rowLabels?: readonly string[];
  /** One label per column (key tokens); default: column numbers. */
  columnLabels?: readonly string[];
  /** Side of one cell in pixels (default 24). */
  cellSize?: number;
  /** Accessible title of the figure (default "Attention weights"). */
  title?: string;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

/** Maps a weight in [0, 1] to a white → deep blue ramp. */
function shade(weight: number): string {
  const t = Math.min(1, Math.max(0, weight));
  const channel = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${channel(255, 8)},${channel(255, 48)},${channel(255, 107)})`;
}

/**
 * Renders an attention matrix as a standalone SVG heatmap (queries down, keys across), with
 * token labels and a `<title>` per cell giving the exact weight.
 *
 * @example
 * ```ts
 * const svg = attentionHeatmapSvg({
 *   weights: [[0.9, 0.1], [0.2, 0.8]],
 *   rowLabels: ['le', 'chat'],
 *   columnLabels: ['the', 'cat'],
 * });
 * document.body.innerHTML = svg;
 * ```
 */
export function attentionHeatmapSvg(options: AttentionHeatmapOptions): string {
  const { weights } = options;
  const rows = weights.length;
  const columns = rows > 0 ? (weights[0]?.length ?? 0) : 0;
  for (let row = 0; row < rows; row++) {
    const length = weights[row]?.length ?? 0;
    if (length !== columns) {
      throw new Error(`attentionHeatmapSvg: weights must be rectangular; row 0 has ${columns} columns but row ${row} has ${length}`);
    }
  }
  const rowLabels = options.rowLabels ?? Array.from({ length: rows }, (_, index) => String(index));
  const columnLabels = options.columnLabels ?? Array.from({ length: columns }, (_, index) => String(index));
  if (rowLabels.length !== rows) {
    throw new Error(`attentionHeatmapSvg: rowLabels must have one label per row (${rows}); got ${rowLabels.length}`);
  }
  if (columnLabels.length !== columns) {
    throw new Error(`attentionHeatmapSvg: columnLabels must have one label per column (${columns}); got ${columnLabels.length}`);
  }
  const cell = options.cellSize ?? 24;
  const longest = (labels: readonly string[]) => labels.reduce((max, label) => Math.max(max, label.length), 0);
  const left = 8 + longest(rowLabels) * 7;
  const top = 8 + longest(columnLabels) * 7;
  const width = left + columns * cell + 4;
  const height = top + rows * cell + 4;
  const title = escapeXml(options.title ?? 'Attention weights');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${title}</title>`,
  ];
  columnLabels.forEach((label, column) => {
    const x = left + column * cell + cell / 2;
    parts.push(`<text x="${x}" y="${top - 4}" transform="rotate(-60 ${x} ${top - 4})">${escapeXml(label)}</text>`);
  });
  for (let row = 0; row < rows; row++) {
    const y = top + row * cell;
    parts.push(`<text x="${left - 4}" y="${y + cell / 2 + 4}" text-anchor="end">${escapeXml(rowLabels[row]!)}</text>`);
    for (let column = 0; column < columns; column++) {
      const weight = Number(weights[row]![column]);
      const label = `${escapeXml(rowLabels[row]!)} → ${escapeXml(columnLabels[column]!)}: ${weight.toFixed(3)}`;
      parts.push(
        `<rect class="cell" x="${left + column * cell}" y="${y}" width="${cell}" height="${cell}" fill="${shade(weight)}"><title>${label}</title></rect>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
