import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toyEmbeddings } from '../site/.vitepress/theme/toy-embeddings';
import { barChartSvg, chartColumn, leadingNumber, parseTables, reportPage } from '../scripts/lib/benchmarks';
import { extractCodeBlocks, importProblems, inlineApiNames } from '../scripts/lib/examples';
import { checkLinks, internalLinks } from '../scripts/lib/links';
import { changelogPage, escapeVueInApiPages } from '../scripts/lib/pages';
import { blockFragment, findRow, generatedIncludes, missingIncludes, reportBlocks, rowCommand, rowFragment, writeReportFragments } from '../scripts/lib/report-fragments';
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

describe('report fragments (what tutorials include from RESULTS.md / BENCHMARKS.md)', () => {
  const results = [
    '# Results',
    '<!-- results:vit:start -->',
    '### ViT',
    '',
    '| Dataset | Model | Test accuracy | Command |',
    '| --- | --- | ---: | --- |',
    '| digits | ViT patch 4 | 99.16% | `heed train vit --dataset digits` | <!-- row:digits -->',
    '| MNIST | ViT patch 7 | 97.60% | `heed train vit --dataset mnist` | <!-- row:mnist -->',
    '<!-- results:vit:end -->',
    '<!-- results:g2p:start -->',
    '| model | WER | command |',
    '| --- | --- | --- |',
    '| luong-general | 36.05% | `heed train g2p --attention luong-general` |',
    '| baseline | 50% | same command |',
    '<!-- results:g2p:end -->',
  ].join('\n');

  it('names rows by their marker, else by the slug of the first cell', () => {
    const [vit, g2p] = reportBlocks(results, 'results');
    expect(vit!.name).toBe('vit');
    expect(vit!.rows.map((row) => row.id)).toEqual(['digits', 'mnist']);
    expect(vit!.rows[0]!.cells).toEqual(['digits', 'ViT patch 4', '99.16%', '`heed train vit --dataset digits`']);
    expect(g2p!.rows.map((row) => row.id)).toEqual(['luong-general', 'baseline']);
    expect(rowCommand(g2p!.rows[0]!)).toBe('heed train g2p --attention luong-general');
    expect(rowCommand(g2p!.rows[1]!)).toBeUndefined(); // "same command" is not a command
  });

  it('reaches a row labelled with its variant by the short name before the parenthesis, the first such row', () => {
    const [block] = reportBlocks(
      ['<!-- results:g2p:start -->', '| model | WER |', '| --- | --- |', '| luong-general (BiLSTM 64×2, emb 64) | 36.05% |', '| luong-general (BiLSTM 128×2, emb 64) | 30.00% |', '| bahdanau | 37.68% |', '<!-- results:g2p:end -->'].join('\n'),
      'results',
    );
    expect(block!.rows.map((row) => [row.id, row.aliases])).toEqual([
      ['luong-general-bilstm-64-2-emb-64', ['luong-general']],
      ['luong-general-bilstm-128-2-emb-64', []],
      ['bahdanau', []],
    ]);
    expect(findRow(block, 'luong-general')!.cells[1]).toBe('36.05%');
    expect(findRow(block, 'luong-general-bilstm-128-2-emb-64')!.cells[1]).toBe('30.00%');
    expect(findRow(block, 'dot')).toBeUndefined();
  });

  it('writes a row as its fields and its command, and a block with a chart of the headline metric', () => {
    const [vit] = reportBlocks(results, 'results');
    const row = rowFragment(vit!.rows[1]!, 'RESULTS.md');
    expect(row).toContain('| Test accuracy | 97.60% |');
    expect(row).not.toContain('| Command |');
    expect(row).toContain('```sh\nheed train vit --dataset mnist\n```');
    const block = blockFragment(vit!);
    expect(block).toContain('**ViT**'); // the block heading does not enter the page outline
    expect(block).not.toContain('<!--');
    expect(block).toContain('aria-label="Test accuracy by Dataset, Model"');
  });

  it('finds includes of fragments that the reports no longer have', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-fragments-'));
    const written = writeReportFragments(join(dir, '.vitepress', 'generated', 'reports'), [{ kind: 'results', markdown: results, source: 'RESULTS.md' }]);
    expect(written).toEqual(['results/vit.md', 'results/vit/digits.md', 'results/vit/mnist.md', 'results/g2p.md', 'results/g2p/luong-general.md', 'results/g2p/baseline.md']);
    const page = [
      '<!--@include: @/.vitepress/generated/reports/results/vit/mnist.md-->',
      '<!-- @include: @/.vitepress/generated/reports/results/vit/cifar.md -->',
      '<!--@include: @/.vitepress/generated/reports/results/g2p.md#region{2,3}-->',
      '<!--@include: ./local.md-->',
    ].join('\n');
    expect(generatedIncludes(page)).toEqual([
      '@/.vitepress/generated/reports/results/vit/mnist.md',
      '@/.vitepress/generated/reports/results/vit/cifar.md',
      '@/.vitepress/generated/reports/results/g2p.md',
    ]);
    expect(missingIncludes(page, dir)).toEqual(['@/.vitepress/generated/reports/results/vit/cifar.md']);
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
