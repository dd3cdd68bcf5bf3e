// As a user who installs single packages would: pack every library, install the tarballs with
// npm into a scratch project outside the workspace, import each entry point in Node ESM, run a
// real call from each, and type-check a consumer file against the shipped .d.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpm = join(root, 'node_modules', '.bin', 'pnpm');
const LIBRARIES = ['backends', 'attention', 'training', 'tokenizers', 'viz', 'models'];
const scratch = mkdtempSync(join(tmpdir(), 'heed-packaging-'));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_loglevel: 'error' } });

/** @type {Record<string, string>} */
const tarballs = {};

beforeAll(() => {
  for (const name of LIBRARIES) {
    const output = run(pnpm, ['pack', '--pack-destination', scratch], join(root, 'packages', name));
    tarballs[name] = output.trim().split('\n').at(-1).trim();
  }
  const tfjs = JSON.parse(readFileSync(join(root, 'packages', 'backends', 'package.json'), 'utf8')).peerDependencies['@tensorflow/tfjs'];
  const typescript = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.typescript;
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', ...Object.values(tarballs), `@tensorflow/tfjs@${tfjs}`, `typescript@${typescript}`], scratch);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('published packages', () => {
  it('ship dist with types, a README, and no tests or sources', () => {
    for (const name of LIBRARIES) {
      const files = run('tar', ['-tzf', tarballs[name]], scratch).split('\n').filter(Boolean);
      expect(files, name).toContain('package/dist/index.js');
      expect(files, name).toContain('package/dist/index.d.ts');
      expect(files, name).toContain('package/README.md');
      expect(files.filter((file) => /\.test\.|\/src\//.test(file)), name).toEqual([]);
      const manifest = JSON.parse(run('tar', ['-xzOf', tarballs[name], 'package/package.json'], scratch));
      expect(Object.keys(manifest.exports['.'])[0], `${name} exports: types first`).toBe('types');
      // Only the files that register layer classes with tfjs are declared (bundler-side-effects.test.js).
      const source = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
      expect(manifest.sideEffects, name).toEqual(source.sideEffects);
      expect(manifest.sideEffects, name).toEqual(['attention', 'models'].includes(name) ? expect.arrayContaining(['./dist/index.js']) : false);
      expect(JSON.stringify(manifest), `${name} has no workspace: ranges`).not.toContain('workspace:');
    }
  });

  it('import in Node ESM and work: wasm binaries are found inside node_modules', () => {
    const script = `
      import * as tf from '@tensorflow/tfjs';
      import { initBackend } from '@heed/backends';
      import { causalMask } from '@heed/attention';
      import { editDistance } from '@heed/training';
      import { bytesToUnicode } from '@heed/tokenizers';
      import { attentionHeatmapSvg } from '@heed/viz';
      import { splitOf } from '@heed/models';
      import * as modelsNode from '@heed/models/node';
      tf.env().set('PROD', true);
      const report = await initBackend({ backend: 'wasm' });
      const mask = (await causalMask(2).array()).map((row) => row.map(Number));
      console.log(JSON.stringify({
        backend: report.name, simd: report.simd, mask,
        distance: editDistance('kitten', 'sitting'), space: bytesToUnicode()[32],
        svg: attentionHeatmapSvg({ weights: [[1]] }).startsWith('<svg'), split: typeof splitOf('paste'),
        nodeLoaders: typeof modelsNode.loadMnistNode === 'function' && typeof modelsNode.loadCmudictNode === 'function',
      }));`;
    writeFileSync(join(scratch, 'check.mjs'), script);
    const result = JSON.parse(run(process.execPath, ['check.mjs'], scratch).trim().split('\n').at(-1));
    expect(result).toEqual({
      backend: 'wasm',
      simd: true,
      mask: [
        [1, 0],
        [1, 1],
      ],
      distance: 3,
      space: 'Ġ',
      svg: true,
      split: 'string',
      nodeLoaders: true,
    });
  });

  it('type-check a consumer against the shipped .d.ts', () => {
    writeFileSync(
      join(scratch, 'consumer.ts'),
      `import { initBackend, type BackendReport } from '@heed/backends';
import { causalMask } from '@heed/attention';
import { editDistance } from '@heed/training';
import { bytesToUnicode } from '@heed/tokenizers';
import { attentionHeatmapSvg } from '@heed/viz';
import { splitOf, type Split } from '@heed/models';
export async function main(): Promise<[BackendReport, number, string, Split, number[]]> {
  const report = await initBackend({ backend: 'cpu', fastKernels: false });
  const mask = causalMask(3, 4);
  const svg: string = attentionHeatmapSvg({ weights: [[0.5, 0.5]], rowLabels: ['a'], columnLabels: ['b', 'c'] });
  return [report, editDistance([1, 2], [2]), bytesToUnicode()[0] + svg, splitOf('x'), mask.shape];
}
// @ts-expect-error the backend name is checked by the types
void initBackend({ backend: 'tpu' });
`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022', 'DOM'] },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(scratch, 'node_modules', '.bin', 'tsc');
    expect(() => run(tsc, ['-p', 'tsconfig.json'], scratch)).not.toThrow();
    expect(readdirSync(join(scratch, 'node_modules', '@heed')).sort()).toEqual([...LIBRARIES].sort());
  });
});
