// Proves the layering check works: each package's real eslint.config.js rejects an import that
// breaks the architecture, accepts the ones it allows, and every package.json agrees with the
// same table (tooling/eslint-config/layering.js).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { APPS, LAYERS, LIBRARIES } from './layering.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Workspace folder of each package name. */
const folders = Object.fromEntries(
  ['packages', 'apps']
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .filter((folder) => existsSync(join(folder, 'package.json')))
    .map((folder) => [JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name, folder]),
);

/** Lints `code` as if it were src/layering-probe.ts of `packageName`, with that package's own config. */
async function lint(packageName, code) {
  const cwd = folders[packageName];
  const eslint = new ESLint({ cwd });
  const [result] = await eslint.lintText(code, { filePath: join(cwd, 'src', 'layering-probe.ts') });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports');
}

describe('layering lint check', () => {
  it('has a package folder with an eslint config for every layer', () => {
    for (const name of Object.keys(LAYERS)) {
      expect(folders[name], name).toBeDefined();
      expect(existsSync(join(folders[name], 'eslint.config.js')), `${name}/eslint.config.js`).toBe(true);
    }
  });

  it('rejects tfjs in tokenizers and viz', async () => {
    for (const name of ['@heed/tokenizers', '@heed/viz']) {
      const errors = await lint(name, "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n");
      expect(errors, name).toHaveLength(1);
      expect(errors[0].message).toContain('must not import TensorFlow.js');
    }
  });

  it('rejects every upward or sideways @heed import and accepts the allowed ones', async () => {
    for (const name of LIBRARIES) {
      for (const other of Object.keys(LAYERS)) {
        if (other === name) continue;
        const errors = await lint(name, `import { x } from '${other}';\nexport const y = x;\n`);
        const allowed = LAYERS[name].heed.includes(other);
        expect(errors.length, `${name} importing ${other}`).toBe(allowed ? 0 : 1);
      }
    }
  }, 120_000);

  it('rejects importing an app and deep imports into another package', async () => {
    for (const app of APPS) expect(await lint('@heed/models', `import '${app}';\n`)).toHaveLength(1);
    expect(await lint('@heed/models', "import { x } from '@heed/attention/src/index';\nexport const y = x;\n")).toHaveLength(1);
    expect(await lint('@heed/cli', "import { x } from '../../../packages/backends/src/index';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('makes `eslint` exit non-zero on a violating file', async () => {
    const eslint = new ESLint({ cwd: folders['@heed/backends'] });
    const results = await eslint.lintText("import { causalMask } from '@heed/attention';\nexport const m = causalMask;\n", {
      filePath: join(folders['@heed/backends'], 'src', 'layering-probe.ts'),
    });
    expect(ESLint.getErrorResults(results)).toHaveLength(1);
  });
});

describe('package.json dependencies follow the layers', () => {
  it('declares only allowed @heed packages and no tfjs where forbidden', () => {
    for (const [name, folder] of Object.entries(folders)) {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies });
      const layer = LAYERS[name];
      expect(layer, `${name} is missing from layering.js`).toBeDefined();
      const heed = declared.filter((dependency) => dependency.startsWith('@heed/') && Object.keys(LAYERS).includes(dependency));
      for (const dependency of heed) expect(layer.heed, `${name} depends on ${dependency}`).toContain(dependency);
      if (!layer.tfjs) {
        expect(declared.filter((dependency) => dependency.startsWith('@tensorflow/')), `${name} tfjs deps`).toEqual([]);
      }
    }
  });
});
