// Builds the docs site: one HTML page per package README plus an index, into dist/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = join(root, 'apps', 'docs', 'dist');

/** A page of the docs site. */
export interface Page {
  slug: string;
  title: string;
  html: string;
}

/** Collects the pages: the root README, the architecture, and every package README. */
export function collectPages(): Page[] {
  const pages: Page[] = [];
  const add = (slug: string, file: string) => {
    if (!existsSync(file)) return;
    const markdown = readFileSync(file, 'utf8');
    const title = /^#\s+(.+)$/m.exec(markdown)?.[1] ?? slug;
    pages.push({ slug, title, html: marked.parse(markdown, { async: false }) });
  };
  add('index', join(root, 'README.md'));
  add('architecture', join(root, 'docs', 'ARCHITECTURE.md'));
  for (const name of readdirSync(join(root, 'packages')).sort()) add(name, join(root, 'packages', name, 'README.md'));
  return pages;
}

function layout(page: Page, pages: Page[]): string {
  const nav = pages.map((entry) => `<a href="${entry.slug}.html">${entry.title}</a>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${page.title} · heed</title>
<style>body{font:16px/1.5 system-ui;margin:0;display:flex}nav{width:14rem;padding:1rem;background:#f4f6fa}nav a{display:block}main{padding:1rem 2rem;max-width:48rem}pre{background:#f4f6fa;padding:.5rem;overflow:auto}</style>
</head><body><nav>${nav}</nav><main>${page.html}</main></body></html>`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pages = collectPages();
  mkdirSync(out, { recursive: true });
  for (const page of pages) writeFileSync(join(out, `${page.slug}.html`), layout(page, pages));
  console.log(`docs: wrote ${pages.length} pages to ${out}`);
}
