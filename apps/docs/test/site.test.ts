// The built site (dist/, written by `pnpm --filter @heed/docs build`, which turbo runs before
// test): every package has its reference, the reports are there, and no internal link is broken.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handWrittenPages, inlineApiNames } from '../scripts/lib/examples';
import { checkLinks } from '../scripts/lib/links';
import { DOCS_ROOT, SITE_ROOT, workspacePackages } from '../scripts/lib/workspace';

/** Names of TensorFlow.js (not heed) that the guides mention in prose. */
const TFJS_NAMES = new Set(['dataSync', 'setWasmPaths', 'BatchMatMul', 'transposeB']);

const dist = join(DOCS_ROOT, 'dist');
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

  it.skipIf(!built)('mentions in prose only API names that exist (inline code checked against the reference)', () => {
    const names = new Set(JSON.parse(readFileSync(join(SITE_ROOT, 'api', 'names.json'), 'utf8')) as string[]);
    const unknown = handWrittenPages().flatMap((page) =>
      inlineApiNames(readFileSync(join(SITE_ROOT, page), 'utf8'))
        .filter(({ name }) => !names.has(name) && !TFJS_NAMES.has(name))
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
