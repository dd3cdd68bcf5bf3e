// Writes one package's section of BENCHMARKS.md between its markers, leaving the others as they
// are, so each package's `pnpm bench` owns exactly its part of the file.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCHMARKS_PATH = join(root, 'BENCHMARKS.md');

/**
 * @param {string} section a name such as "backends"
 * @param {string} markdown the section's body
 */
export function writeBenchmarkSection(section, markdown) {
  const start = `<!-- bench:${section}:start -->`;
  const end = `<!-- bench:${section}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(BENCHMARKS_PATH)
    ? readFileSync(BENCHMARKS_PATH, 'utf8')
    : '# heed benchmarks\n\nWritten by `pnpm bench`; each section by its package. Medians; ratios are against a peer measured in the same run.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(BENCHMARKS_PATH, text);
}
