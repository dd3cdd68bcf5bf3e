// The package must bundle for browsers: Node-only modules may be imported only lazily, through
// importNodeOnly (which bundlers do not follow), never statically from library code.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const NODE_ONLY = /^import\s+(?!type\b)[^;]*from\s+'(node:[^']+|cli-progress|fs|path|os)'/m;
const DYNAMIC = /import\(\s*'(node:[^']+|cli-progress)'\s*\)/;

async function libraryFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : libraryFiles(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

it('library code imports Node-only modules only lazily, through importNodeOnly', async () => {
  const files = await libraryFiles(join(import.meta.dirname, '..', 'src'));
  expect(files.length).toBeGreaterThan(30);
  const offenders: string[] = [];
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    if (NODE_ONLY.test(source) || DYNAMIC.test(source)) offenders.push(file);
  }
  expect(offenders).toEqual([]);
  // The check itself catches what it should.
  expect(NODE_ONLY.test("import { readFile } from 'node:fs/promises';")).toBe(true);
  expect(NODE_ONLY.test("import type * as Fs from 'node:fs/promises';")).toBe(false);
  expect(DYNAMIC.test("await import('cli-progress')")).toBe(true);
});
