import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toyEmbeddings } from '../site/.vitepress/theme/toy-embeddings';
import { barChartSvg, chartColumn, leadingNumber, parseTables, reportPage } from '../scripts/lib/benchmarks';
import { extractCodeBlocks, importProblems, inlineApiNames } from '../scripts/lib/examples';
import { checkLinks, internalLinks } from '../scripts/lib/links';
import { changelogPage, escapeVueInApiPages } from '../scripts/lib/pages';
import { entryPointsOf, pendingChangesets, workspacePackages } from '../scripts/lib/workspace';

describe('workspace reading', () => {
  it('finds every library package and its public entry points from package.json exports', () => {
    const packages = workspacePackages();
    const names = packages.map((pkg) => pkg.name);
    expect(names).toEqual(expect.arrayContaining(['@heed/attention', '@heed/backends', '@heed/models', '@heed/tokenizers', '@heed/training', '@heed/viz']));
    const backends = packages.find((pkg) => pkg.name === '@heed/backends')!;
    expect(backends.entryPoints.map((entry) => entry.specifier)).toEqual(['@heed/backends', '@heed/backends/testing']);
    expect(backends.entryPoints[1]!.source).toMatch(/packages\/backends\/src\/testing\/index\.ts$/);
  });

  it('maps exports to sources and skips patterns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-docs-'));
    mkdirSync(join(dir, 'src', 'extra'), { recursive: true });
    writeFileSync(join(dir, 'src', 'index.ts'), '');
    writeFileSync(join(dir, 'src', 'extra', 'index.ts'), '');
    const entries = entryPointsOf(dir, {
      name: '@heed/x',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './extra': './dist/extra/index.js', './*': './dist/*.js' },
    });
    expect(entries.map((entry) => entry.specifier)).toEqual(['@heed/x', '@heed/x/extra']);
  });

  it('reads pending changesets into an Unreleased changelog section', () => {
    const pending = pendingChangesets();
    expect(pending.length).toBeGreaterThan(0);
    const page = changelogPage({ name: '@heed/viz', folder: 'viz', dir: '', description: '', version: '0.1.0', entryPoints: [] }, [
      { id: 'a', releases: { '@heed/viz': 'minor' }, summary: 'Heatmaps.' },
      { id: 'b', releases: { '@heed/attention': 'patch' }, summary: 'Other.' },
    ]);
    expect(page).toContain('## Unreleased');
    expect(page).toContain('**minor** (`a`): Heatmaps.');
    expect(page).not.toContain('Other.');
    const released = changelogPage(
      { name: '@heed/viz', folder: 'viz', dir: '', description: '', version: '0.2.0', entryPoints: [], changelog: '# @heed/viz\n\n## 0.2.0\n\n- x\n' },
      [],
    );
    expect(released).toBe('# @heed/viz changelog\n\n\n## 0.2.0\n\n- x\n');
  });
});

describe('API pages', () => {
  it('are wrapped in v-pre below their title, so TSDoc text is never a Vue template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-api-'));
    mkdirSync(join(dir, 'backends'));
    writeFileSync(join(dir, 'backends', 'testing.md'), '# @heed/backends/testing\n\nUse {{ x }}.\n');
    escapeVueInApiPages(dir);
    expect(readFileSync(join(dir, 'backends', 'testing.md'), 'utf8')).toBe('# @heed/backends/testing\n\n::: v-pre\n\nUse {{ x }}.\n\n:::\n');
  });
});

describe('benchmark pages', () => {
  const markdown = [
    '# b',
    '<!-- bench:x:start -->',
    '| backend | work | median | gain |',
    '|---|---|---|---|',
    '| wasm | matMul 1024³ | 74.1 ms | 15.2x |',
    '| cpu | matMul `256³` | 1,058.5 ms | 1.0x |',
    '<!-- bench:x:end -->',
  ].join('\n');

  it('parses tables and their numbers', () => {
    const [table] = parseTables(markdown);
    expect(table!.header).toEqual(['backend', 'work', 'median', 'gain']);
    expect(table!.rows).toHaveLength(2);
    expect(leadingNumber('1,058.5 ms')).toBe(1058.5);
    expect(leadingNumber('28.8 ms (18.7 GFLOP/s)')).toBe(28.8);
    expect(leadingNumber('wasm')).toBeUndefined();
    expect(chartColumn(table!)).toBe(3);
  });

  it('charts the numeric column under the table, copying the table as written', () => {
    const page = reportPage(markdown, 'BENCHMARKS.md');
    expect(page).not.toContain('<!--');
    expect(page).toContain('| wasm | matMul 1024³ | 74.1 ms | 15.2x |');
    expect(page.indexOf('<svg')).toBeGreaterThan(page.indexOf('| cpu |'));
    const svg = barChartSvg(parseTables(markdown)[0]!, 3);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('wasm · matMul 1024³ · 74.1 ms: 15.2x');
  });
});

describe('code blocks', () => {
  it('extracts fences with language, meta and page line', () => {
    const blocks = extractCodeBlocks('# t\n\n```ts run\nconst a = 1;\n```\n\n```sh\nnpm i\n```\n', 'guide/x.md');
    expect(blocks).toEqual([
      { page: 'guide/x.md', line: 4, lang: 'ts', meta: ['run'], code: 'const a = 1;' },
      { page: 'guide/x.md', line: 8, lang: 'sh', meta: [], code: 'npm i' },
    ]);
  });

  it('finds API-looking names in prose, not in code blocks', () => {
    const markdown = 'Call `initBackend()` with `fastKernels`, not `tf.tidy` or `query_kernel`.\n```ts\nconst notProse = `madeUpName`;\n```\n`MultiHeadAttention` and `Tokenizer`';
    expect(inlineApiNames(markdown)).toEqual([
      { name: 'initBackend', line: 1 },
      { name: 'fastKernels', line: 1 },
      { name: 'MultiHeadAttention', line: 5 },
    ]);
  });

  it('rejects deep imports', () => {
    const example = { page: 'p.md', line: 1, lang: 'ts', meta: [], code: "import { x } from '@heed/attention/src/x';\nimport * as tf from '@tensorflow/tfjs';" };
    expect(importProblems(example, new Set(['@heed/attention']))).toEqual([expect.stringContaining('"@heed/attention/src/x"')]);
  });
});

describe('link checker', () => {
  it('finds missing pages and fragments, ignores external links', () => {
    const dist = mkdtempSync(join(tmpdir(), 'heed-links-'));
    mkdirSync(join(dist, 'guide'));
    writeFileSync(join(dist, 'index.html'), '<a href="/guide/a.html#ok">a</a><a href="/guide/b.html">b</a><a href="https://x.org/">x</a><a href="guide/a.html#nope">n</a>');
    writeFileSync(join(dist, 'guide', 'a.html'), '<h2 id="ok">ok</h2><a href="../index.html">home</a><a href="#ok">self</a><script>const s = "<a href=\'/zz\'>"</script>');
    expect(internalLinks('<a href="mailto:a@b">m</a><img src="/logo.svg">')).toEqual(['/logo.svg']);
    const result = checkLinks(dist);
    expect(result.pages).toBe(2);
    expect(result.broken.map((link) => `${link.page} ${link.href}`)).toEqual(['index.html /guide/b.html', 'index.html guide/a.html#nope']);
  });
});

describe('toy embeddings of the live widget', () => {
  it('gives equal tokens equal unit vectors', () => {
    const [a, b, c] = toyEmbeddings(['cat', 'dog', 'cat'], 32);
    expect(a).toEqual(c);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 6);
    expect(a).not.toEqual(b);
  });
});
