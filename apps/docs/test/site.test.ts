// The built site (dist/, written by `pnpm --filter @heed/docs build`, which turbo runs before
// test): every package has its reference, the reports are there, and no internal link is broken.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handWrittenPages, inlineApiNames } from '../scripts/lib/examples';
import { checkLinks } from '../scripts/lib/links';
import { findRow, generatedIncludes, reportBlocks, rowCommand } from '../scripts/lib/report-fragments';
import { DOCS_ROOT, REPO_ROOT, SITE_ROOT, workspacePackages } from '../scripts/lib/workspace';

/** Names of TensorFlow.js (not heed) that the guides mention in prose. */
const TFJS_NAMES = new Set(['dataSync', 'setWasmPaths', 'BatchMatMul', 'transposeB']);
/** Web platform names the guides mention in prose. */
const WEB_NAMES = new Set(['SharedArrayBuffer']);

const dist = join(DOCS_ROOT, 'dist');

/** A built page's visible text: tags removed (Shiki splits code into spans), entities decoded. */
const pageText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
const built = existsSync(join(dist, 'index.html'));

describe('built site', () => {
  it('exists (run `pnpm --filter @heed/docs build` first)', () => {
    expect(built, `${dist}/index.html is missing: build the site before testing it`).toBe(true);
  });

  it.skipIf(!built)('has an API page and a changelog for every public entry point of every package', () => {
    for (const pkg of workspacePackages()) {
      for (const entry of pkg.entryPoints) {
        const page = join(dist, 'api', `${entry.specifier.replace(/^@heed\//, '')}.html`);
        expect(existsSync(page), `${entry.specifier}: ${page}`).toBe(true);
      }
      expect(existsSync(join(dist, 'changelog', `${pkg.name.replace(/^@heed\//, '')}.html`)), pkg.name).toBe(true);
    }
  });

  it.skipIf(!built)('documents the exports with their TSDoc (one page per entry point, a section per export)', () => {
    const viz = readFileSync(join(dist, 'api', 'viz.html'), 'utf8');
    expect(viz).toContain('id="attentionheatmapsvg"');
    const backends = readFileSync(join(dist, 'api', 'backends.html'), 'utf8');
    expect(backends).toContain('id="initbackend"');
    expect(backends).toContain('Picks, initializes and activates the best tfjs backend');
  });

  it.skipIf(!built)('has the benchmarks page from BENCHMARKS.md, with charts', () => {
    const html = readFileSync(join(dist, 'benchmarks.html'), 'utf8');
    expect(html).toContain('bench-chart');
    expect(existsSync(join(dist, 'results.html'))).toBe(true);
  });

  it.skipIf(!built)('shows in each tutorial the RESULTS.md rows it includes, with their numbers and commands as RESULTS.md has them now', () => {
    const results = reportBlocks(readFileSync(join(REPO_ROOT, 'RESULTS.md'), 'utf8'), 'results');
    const tutorials = handWrittenPages().filter((page) => page.startsWith('tutorials/') && page !== 'tutorials/index.md');
    expect(tutorials.length).toBeGreaterThanOrEqual(3);
    for (const page of tutorials) {
      const rows = generatedIncludes(readFileSync(join(SITE_ROOT, page), 'utf8')).flatMap((target) => {
        const match = /reports\/results\/([\w-]+)\/([\w-]+)\.md$/.exec(target);
        return match ? [[match[1]!, match[2]!] as const] : [];
      });
      expect(rows.length, `${page} includes no RESULTS.md row`).toBeGreaterThan(0);
      const text = pageText(readFileSync(join(dist, page.replace(/\.md$/, '.html')), 'utf8'));
      for (const [block, id] of rows) {
        const row = findRow(results.find((candidate) => candidate.name === block), id);
        expect(row, `${page}: RESULTS.md has no ${block}/${id} row`).toBeDefined();
        const command = rowCommand(row!);
        expect(command, `${block}/${id} has a command`).toBeDefined();
        expect(text, `${page}: the command of ${block}/${id}`).toContain(command);
        for (const cell of row!.cells.filter((value) => /^\d[\d.,]*%$/.test(value))) expect(text, `${page}: ${block}/${id} ${cell}`).toContain(cell);
      }
    }
  });

  it.skipIf(!built)('shows in each tutorial the shipped weights it includes, with the command and metrics of their results.json', () => {
    const pages = handWrittenPages().filter((page) => page.startsWith('tutorials/'));
    const shipped = pages.flatMap((page) =>
      generatedIncludes(readFileSync(join(SITE_ROOT, page), 'utf8')).flatMap((target) => {
        const match = /reports\/weights\/([\w-]+)\.md$/.exec(target);
        return match ? [[page, match[1]!] as const] : [];
      }),
    );
    expect(shipped.map(([, name]) => name).sort()).toEqual(expect.arrayContaining(['digits', 'g2p', 'mnist', 'sentiment', 'spam']));
    for (const [page, name] of shipped) {
      const results = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'models', 'weights', name, 'results.json'), 'utf8')) as { command: string; metrics: Record<string, number> };
      const text = pageText(readFileSync(join(dist, page.replace(/\.md$/, '.html')), 'utf8'));
      expect(text, `${page}: ${name} command`).toContain(results.command);
      for (const key of ['accuracy', 'wer'] as const) {
        if (typeof results.metrics[key] === 'number') expect(text, `${page}: ${name} ${key}`).toContain(`${(100 * results.metrics[key]).toFixed(2)}%`);
      }
    }
  });

  it.skipIf(!built)('shows the measured backend trade-offs of BENCHMARKS.md on the backends guide, charted', () => {
    const [tradeoffs] = reportBlocks(readFileSync(join(REPO_ROOT, 'BENCHMARKS.md'), 'utf8'), 'bench').filter((block) => block.name === 'tradeoffs');
    expect(tradeoffs, 'BENCHMARKS.md has a tradeoffs section (pnpm --filter @heed/docs bench)').toBeDefined();
    const html = readFileSync(join(dist, 'guide', 'backends.html'), 'utf8');
    expect(html.match(/class="bench-chart"/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    const text = pageText(html);
    for (const environment of ['Node wasm', 'Node cpu', 'Chromium webgpu', 'Chromium webgl']) expect(text).toContain(environment);
    expect(text).toContain('SwiftShader');
  });

  it.skipIf(!built)('mentions in prose only API names that exist (inline code checked against the reference)', () => {
    const names = new Set(JSON.parse(readFileSync(join(SITE_ROOT, 'api', 'names.json'), 'utf8')) as string[]);
    const unknown = handWrittenPages().flatMap((page) =>
      inlineApiNames(readFileSync(join(SITE_ROOT, page), 'utf8'))
        .filter(({ name }) => !names.has(name) && !TFJS_NAMES.has(name) && !WEB_NAMES.has(name))
        .map(({ name, line }) => `site/${page}:${line}: \`${name}\` is not a documented export, member or option`),
    );
    expect(names.size).toBeGreaterThan(100);
    expect(unknown).toEqual([]);
  });

  it.skipIf(!built)('has no broken internal links or fragments', () => {
    const { pages, links, broken } = checkLinks(dist, process.env.HEED_DOCS_BASE ?? '/');
    expect(pages).toBeGreaterThan(20);
    expect(links).toBeGreaterThan(pages);
    expect(broken.map((link) => `${link.page}: ${link.href} (${link.reason})`)).toEqual([]);
  });
});
