import type * as NodeFs from 'node:fs/promises';
import type * as NodePath from 'node:path';
import { importNodeOnly, writeFilesAtomically } from '@heed/backends';

/** Options of {@link writeResultsRow}. */
export interface ResultsRowOptions {
  /** The block's name: the rows live between `<!-- results:NAME:start -->` and `<!-- results:NAME:end -->`. */
  block: string;
  /** Lines written after the start marker, before the table (a heading, a note; joined with newlines). */
  heading: string;
  /** The table's header and separator lines (`| a | b |\n| --- | --- |`). */
  tableHeader: string;
  /** Which row this is; a row with the same key is replaced. */
  key: string;
  /** The markdown table row. */
  row: string;
  /**
   * Reads a line's key, for blocks whose rows are keyed by their content (`undefined`: not a row;
   * it must not match the table header).
   * Default: rows end with a `<!-- row:KEY -->` marker, which the writer appends.
   */
  keyOf?: (line: string) => string | undefined;
  /** Orders the rows' keys (default: sorted). */
  order?: (keys: string[]) => string[];
  /** The text of a new file (default: a `# Results` heading and a note). */
  preamble?: string;
}

/**
 * Writes (or replaces) one row of a results table in a markdown file: the block between
 * `<!-- results:NAME:start -->` and `<!-- results:NAME:end -->` is rebuilt from its rows, the new
 * one in place of any with the same key; the file or the block is created when missing, and
 * everything outside the block is kept. The new text goes to a temporary file renamed over the old
 * one (@heed/backends' `writeFilesAtomically`), so a failed write leaves the previous file intact.
 * Node only. The one results writer of heed's commands (`heed train vit|text|g2p`, `heed hf fine-tune`).
 *
 * @example
 * ```ts
 * await writeResultsRow('RESULTS.md', {
 *   block: 'vit', heading: '### ViT', tableHeader: '| dataset | accuracy |\n| --- | --- |',
 *   key: 'mnist', row: '| mnist | 98.10% |',
 * });
 * ```
 */
export async function writeResultsRow(file: string, options: ResultsRowOptions): Promise<void> {
  const { block, heading, tableHeader, key, row, keyOf, order = (keys) => [...keys].sort() } = options;
  const fs = await importNodeOnly<typeof NodeFs>('node:fs/promises');
  const path = await importNodeOnly<typeof NodePath>('node:path');
  const start = `<!-- results:${block}:start -->`;
  const end = `<!-- results:${block}:end -->`;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    text = options.preamble ?? '# Results\n\nMeasured by the heed CLI on the machine named in each row. Blocks are rewritten by the commands that produce them.\n';
  }
  const markerKey = (line: string) => /<!-- row:([^ ]+) -->$/.exec(line)?.[1];
  const readKey = keyOf ?? markerKey;
  const rows = new Map<string, string>();
  const startIndex = text.indexOf(start);
  const endIndex = text.indexOf(end);
  const inside = startIndex >= 0 && endIndex > startIndex;
  if (inside) {
    for (const line of text.slice(startIndex + start.length, endIndex).split('\n')) {
      const lineKey = readKey(line);
      if (lineKey !== undefined) rows.set(lineKey, line);
    }
  }
  rows.set(key, keyOf ? row : `${row} <!-- row:${key} -->`);
  const body = [start, heading, '', tableHeader, ...order([...rows.keys()]).map((rowKey) => rows.get(rowKey)!), end].join('\n');
  const next = inside ? text.slice(0, startIndex) + body + text.slice(endIndex + end.length) : `${text.trimEnd()}\n\n${body}\n`;
  await writeFilesAtomically(path.dirname(file), [{ name: path.basename(file), data: next }], { where: 'writeResultsRow: ' });
}
