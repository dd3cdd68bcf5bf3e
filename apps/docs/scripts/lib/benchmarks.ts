// Turns the root BENCHMARKS.md / RESULTS.md into site pages, with a bar chart under every table
// that has a numeric column. The numbers are never edited: the tables are copied as written.

/** A markdown table: header cells and body rows. */
export interface MarkdownTable {
  header: string[];
  rows: string[][];
  /** Line index of the table's first and last line in the source. */
  start: number;
  end: number;
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

const isDelimiter = (line: string): boolean => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** Finds the pipe tables of a markdown document. */
export function parseTables(markdown: string): MarkdownTable[] {
  const lines = markdown.split(/\r?\n/);
  const tables: MarkdownTable[] = [];
  for (let index = 0; index + 1 < lines.length; index++) {
    if (!lines[index]!.includes('|') || !isDelimiter(lines[index + 1]!)) continue;
    const header = splitRow(lines[index]!);
    const rows: string[][] = [];
    let end = index + 1;
    while (end + 1 < lines.length && lines[end + 1]!.trim().startsWith('|')) {
      rows.push(splitRow(lines[end + 1]!));
      end++;
    }
    tables.push({ header, rows, start: index, end });
    index = end;
  }
  return tables;
}

/**
 * The number a cell starts with (`"74.1 ms"` → 74.1, `"15.2x"` → 15.2, `"28.8 ms (18.7 GFLOP/s)"`
 * → 28.8), or undefined when it does not start with one.
 */
export function leadingNumber(cell: string): number | undefined {
  const match = /^\s*\**([-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?)/i.exec(cell.replace(/`/g, ''));
  if (!match) return undefined;
  const value = Number(match[1]!.replace(/,/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** The column to chart: the last one whose every cell is a number (ratios and rates win ties). */
export function chartColumn(table: MarkdownTable): number | undefined {
  if (table.rows.length < 2) return undefined;
  for (let column = table.header.length - 1; column > 0; column--) {
    if (table.rows.every((row) => row[column] !== undefined && leadingNumber(row[column]!) !== undefined)) return column;
  }
  return undefined;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);

const plain = (cell: string): string => cell.replace(/[`*_]/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');

/** A horizontal bar chart of one numeric column, labelled by the row's other text cells. */
export function barChartSvg(table: MarkdownTable, column: number): string {
  const labelColumns = table.header.map((_, index) => index).filter((index) => index !== column && index < column);
  const labels = table.rows.map((row) => labelColumns.map((index) => plain(row[index] ?? '')).join(' · '));
  const values = table.rows.map((row) => leadingNumber(row[column]!)!);
  const max = Math.max(...values.map(Math.abs), Number.MIN_VALUE);
  const bar = 18;
  const gap = 6;
  const labelWidth = Math.min(420, 12 + Math.max(...labels.map((label) => label.length)) * 6.2);
  const plotWidth = 260;
  const width = Math.round(labelWidth + plotWidth + 90);
  const height = table.rows.length * (bar + gap) + 28;
  const title = `${plain(table.header[column]!)} by ${labelColumns.map((index) => plain(table.header[index]!)).join(', ')}`;
  const parts = [
    `<svg class="bench-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${labelWidth}" y="12" font-weight="bold">${escapeXml(plain(table.header[column]!))}</text>`,
  ];
  values.forEach((value, row) => {
    const y = 20 + row * (bar + gap);
    const length = Math.max(1, (Math.abs(value) / max) * plotWidth);
    parts.push(`<text x="${labelWidth - 6}" y="${y + bar / 2 + 4}" text-anchor="end">${escapeXml(labels[row]!)}</text>`);
    parts.push(`<rect x="${labelWidth}" y="${y}" width="${length.toFixed(1)}" height="${bar}" fill="#3451b2"><title>${escapeXml(`${labels[row]}: ${plain(table.rows[row]![column]!)}`)}</title></rect>`);
    parts.push(`<text x="${(labelWidth + length + 4).toFixed(1)}" y="${y + bar / 2 + 4}">${escapeXml(plain(table.rows[row]![column]!))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A site page from a root report (BENCHMARKS.md / RESULTS.md): the document as written, HTML
 * comments removed, a chart after each numeric table, and a note saying where it comes from.
 */
export function reportPage(markdown: string, source: string): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  const tables = parseTables(lines.join('\n'));
  for (const table of [...tables].reverse()) {
    const column = chartColumn(table);
    if (column === undefined) continue;
    lines.splice(table.end + 1, 0, '', `<div class="bench-chart-wrap">${barChartSvg(table, column)}</div>`, '');
  }
  const body = lines.join('\n').trim();
  return `${body}\n\n::: info Source\nGenerated at build time from \`${source}\` in the repository root; edit that file (or rerun the benchmarks), not this page.\n:::\n`;
}

/** The page shown when a report does not exist yet. */
export function missingReportPage(title: string, source: string, how: string): string {
  return `# ${title}\n\n\`${source}\` does not exist in the repository yet. ${how}\n\nThis page is generated at build time and fills in by itself once the file is there.\n`;
}
