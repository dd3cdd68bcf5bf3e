// Cuts the root reports into fragments that hand-written pages include, so a tutorial or guide
// shows the very rows, commands and measurements of RESULTS.md / BENCHMARKS.md and can never
// disagree with them:
//
//   <!--@include: @/.vitepress/generated/reports/results/vit.md-->          a whole block, charted
//   <!--@include: @/.vitepress/generated/reports/results/vit/digits.md-->   one row and its command
//   <!--@include: @/.vitepress/generated/reports/bench/tradeoffs.md-->      a BENCHMARKS.md section
//
// Blocks are the `<!-- results:NAME:start -->` / `<!-- bench:NAME:start -->` sections the CLI and
// `pnpm bench` write. A row is named by its `<!-- row:ID -->` marker, or else by the slug of its
// first cell (`luong-general`). VitePress leaves an include it cannot read as an invisible
// comment, so `missingIncludes` lets the generator fail the build instead.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { barChartSvg, leadingNumber, parseTables, type MarkdownTable } from './benchmarks';

/** One `<!-- KIND:NAME:start -->` … `<!-- KIND:NAME:end -->` block of a report. */
export interface ReportBlock {
  name: string;
  /** The block's markdown as written, markers and HTML comments removed. */
  body: string;
  rows: ReportRow[];
}

/** One body row of a block's table, with its header. */
export interface ReportRow {
  id: string;
  /**
   * Shorter names that also reach this row: the slug of the first cell up to its first ` (`
   * (`luong-general (BiLSTM 64×2, …)` → `luong-general`), given to the first such row of the
   * block when no row has it as its id.
   */
  aliases: string[];
  header: string[];
  cells: string[];
}

/** Lowercase words joined by dashes: `Luong General` → `luong-general`. */
export const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const stripComments = (text: string): string => text.replace(/<!--[\s\S]*?-->/g, '');

/** The blocks of one kind (`results`, `bench`) of a report, in file order. */
export function reportBlocks(markdown: string, kind: string): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  const pattern = new RegExp(`<!--\\s*${kind}:([\\w-]+):start\\s*-->([\\s\\S]*?)<!--\\s*${kind}:\\1:end\\s*-->`, 'g');
  for (const match of markdown.matchAll(pattern)) {
    const raw = match[2]!;
    // Row markers sit at the end of their table line; remove one-line comments line by line so
    // table rows keep their line numbers.
    const rawLines = raw.split(/\r?\n/);
    const markers = rawLines.map((line) => /<!--\s*row:([\w-]+)\s*-->/.exec(line)?.[1]);
    const cleaned = rawLines.map((line) => line.replace(/<!--.*?-->/g, '').trimEnd()).join('\n');
    const rows: ReportRow[] = [];
    for (const table of parseTables(cleaned)) {
      table.rows.forEach((cells, index) => {
        const marker = markers[table.start + 2 + index];
        const base = marker ?? (slug(cells[0]!) || `row-${index + 1}`);
        // Ids are unique within a block: a repeated first cell gets -2, -3, … in file order.
        let id = base;
        for (let suffix = 2; rows.some((row) => row.id === id); suffix++) id = `${base}-${suffix}`;
        rows.push({ id, aliases: [], header: table.header, cells });
      });
    }
    for (const row of rows) {
      const short = slug(row.cells[0]!.split(' (')[0]!);
      if (short && !rows.some((other) => other.id === short || other.aliases.includes(short))) row.aliases.push(short);
    }
    blocks.push({ name: match[1]!, body: stripComments(raw).trim(), rows });
  }
  return blocks;
}

/** The column a block's chart shows: the headline metric if the table has one, else none. */
export function metricColumn(table: MarkdownTable): number | undefined {
  const preferred = [/accuracy/i, /^wer$/i, /median/i, /F1/i, /ratio|vs/i];
  for (const pattern of preferred) {
    const column = table.header.findIndex((cell, index) => pattern.test(cell) && table.rows.every((row) => row[index] !== undefined && leadingNumber(row[index]!) !== undefined));
    if (column > 0) return column;
  }
  return undefined;
}

/** A block as a page fragment: its markdown with a chart of the headline metric under each table. */
export function blockFragment(block: ReportBlock): string {
  const lines = block.body.split(/\r?\n/);
  for (const table of parseTables(block.body).reverse()) {
    const column = metricColumn(table);
    if (column === undefined || table.rows.length < 2) continue;
    lines.splice(table.end + 1, 0, '', `<div class="bench-chart-wrap">${barChartSvg(table, column)}</div>`, '');
  }
  // The block's own heading would collide with the including page's outline: make it bold text.
  return `${lines.map((line) => line.replace(/^#{1,6}\s+(.*)$/, '**$1**')).join('\n').trim()}\n`;
}

/** The command of a row (its `Command` cell without backticks), if it has one of its own. */
export function rowCommand(row: ReportRow): string | undefined {
  const column = row.header.findIndex((cell) => /^command$/i.test(cell));
  const cell = column >= 0 ? row.cells[column] : undefined;
  if (!cell || !cell.includes('`')) return undefined;
  return cell.replace(/^`+|`+$/g, '').trim();
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

/** The row of `block` named `name` (its id or one of its aliases). */
export const findRow = (block: ReportBlock | undefined, name: string): ReportRow | undefined =>
  block?.rows.find((row) => row.id === name) ?? block?.rows.find((row) => row.aliases.includes(name));

/** One row as a fragment: a two-column table of its fields, then its command in a shell block. */
export function rowFragment(row: ReportRow, source: string): string {
  const command = rowCommand(row);
  const fields = row.header
    .map((name, index) => [name, row.cells[index] ?? ''] as const)
    .filter(([name]) => !/^command$/i.test(name))
    .map(([name, value]) => `| ${escapeCell(name)} | ${value} |`);
  const table = ['| measured | |', '| --- | --- |', ...fields].join('\n');
  const shell = command ? `\n\n\`\`\`sh\n${command}\n\`\`\`` : '';
  return `${table}${shell}\n\n<small>From the <code>${row.id}</code> row of <code>${source}</code>, read at build time.</small>\n`;
}

/** Where the fragments go, under `site/.vitepress/generated/`. */
export const FRAGMENTS_DIR = 'reports';

/**
 * Writes every block and row of the reports as fragments under `dir`; returns the files written
 * (relative to `dir`).
 */
export function writeReportFragments(dir: string, reports: { kind: string; markdown: string; source: string }[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  const write = (relative: string, text: string) => {
    const path = join(dir, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(relative);
  };
  for (const report of reports) {
    for (const block of reportBlocks(report.markdown, report.kind)) {
      write(`${report.kind}/${block.name}.md`, blockFragment(block));
      for (const row of block.rows) {
        for (const name of [row.id, ...row.aliases]) write(`${report.kind}/${block.name}/${name}.md`, rowFragment(row, report.source));
      }
    }
  }
  return written;
}

/** The `@include` targets of a page inside the generated folder (`@/.vitepress/generated/…`), without a region or line range. */
export function generatedIncludes(markdown: string): string[] {
  return [...markdown.matchAll(/<!--\s*@include:\s*(@\/\.vitepress\/generated\/.+?)\s*-->/g)].map((match) => match[1]!.replace(/(#[\w-]+)?(\{\d*,\d*\})?$/, ''));
}

/** The `@include` targets of a page that point into the generated folder and do not exist. */
export function missingIncludes(markdown: string, siteRoot: string): string[] {
  const missing: string[] = [];
  for (const target of generatedIncludes(markdown)) {
    if (!existsSync(join(siteRoot, target.slice(2)))) missing.push(target);
  }
  return missing;
}

/** The commands a page shows through its row includes, read back from the fragments. */
export function includedCommands(markdown: string, siteRoot: string): string[] {
  const commands: string[] = [];
  for (const target of generatedIncludes(markdown)) {
    const path = join(siteRoot, target.slice(2));
    if (!existsSync(path)) continue;
    const shell = /```sh\n([\s\S]*?)\n```/.exec(readFileSync(path, 'utf8'));
    if (shell) commands.push(shell[1]!);
  }
  return commands;
}

/** The `results.json` of shipped weights (`packages/models/weights/<name>/`), as far as the fragment reads it. */
export interface ShippedResults {
  name: string;
  command: string;
  date: string;
  metrics?: Record<string, unknown>;
  validation?: { perplexity?: unknown };
  params?: number;
  epochs?: number;
  trainingSeconds?: number;
  trainMinutes?: number;
  backend?: string;
  /** A name, or (a language model's results.json) an object describing the architecture. */
  model?: string | Record<string, unknown>;
  attention?: string;
}

const percentOf = (value: unknown): string | undefined => (typeof value === 'number' ? `${(100 * value).toFixed(2)}%` : undefined);

/**
 * Shipped weights as a fragment: what they are, their held-out metrics and the command that trained
 * them, all read from their `results.json` (the file `loadPretrained` ships them with).
 */
export function shippedFragment(results: ShippedResults): string {
  // Classifier and g2p weights record `metrics`; a language model (gpt-moby-dick) records `validation`.
  const metrics = results.metrics ?? {};
  const validation = results.validation;
  const seconds = results.trainingSeconds ?? (results.trainMinutes === undefined ? undefined : results.trainMinutes * 60);
  const fields: [string, string | undefined][] = [
    ['name (`loadPretrained`, `heed eval` / `predict`)', `\`${results.name}\``],
    ['model', typeof results.model === 'string' ? results.model : results.attention],
    ['parameters', results.params?.toLocaleString('en')],
    ['test accuracy', percentOf(metrics.accuracy)],
    ['macro F1', typeof metrics.macroF1 === 'number' ? metrics.macroF1.toFixed(4) : undefined],
    ['validation perplexity', typeof validation?.perplexity === 'number' ? validation.perplexity.toFixed(2) : undefined],
    ['WER', percentOf(metrics.wer)],
    ['PER', percentOf(metrics.per)],
    ['decoding', typeof metrics.beam === 'number' ? (metrics.beam > 1 ? `beam ${metrics.beam}` : 'greedy') : undefined],
    ['test examples', typeof metrics.testExamples === 'number' ? String(metrics.testExamples) : typeof metrics.words === 'number' ? String(metrics.words) : undefined],
    ['epochs', results.epochs === undefined ? undefined : String(results.epochs)],
    ['training time', seconds === undefined ? undefined : `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s`],
    ['backend', results.backend],
    ['written', results.date.slice(0, 10)],
  ];
  const table = ['| shipped weights | |', '| --- | --- |', ...fields.filter(([, value]) => value !== undefined).map(([name, value]) => `| ${name} | ${escapeCell(value!)} |`)].join('\n');
  return `${table}\n\nTrained by:\n\n\`\`\`sh\n${results.command}\n\`\`\`\n\n<small>From <code>packages/models/weights/${results.name}/results.json</code>, read at build time.</small>\n`;
}

/** Writes `weights/<name>.md` under `dir` for every shipped weights folder of `weightsRoot`; returns the files written. */
export function writeShippedFragments(dir: string, weightsRoot: string): string[] {
  if (!existsSync(weightsRoot)) return [];
  const written: string[] = [];
  for (const name of readdirSync(weightsRoot).sort()) {
    const file = join(weightsRoot, name, 'results.json');
    if (!existsSync(file)) continue;
    const results = JSON.parse(readFileSync(file, 'utf8')) as ShippedResults;
    mkdirSync(join(dir, 'weights'), { recursive: true });
    writeFileSync(join(dir, 'weights', `${name}.md`), shippedFragment({ ...results, name }));
    written.push(`weights/${name}.md`);
  }
  return written;
}
