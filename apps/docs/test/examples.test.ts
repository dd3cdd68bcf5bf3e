// Every TypeScript block of the guides type-checks against the packages' public entry points;
// blocks fenced ```ts run also run in Node. A guide that names an API that does not exist fails here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectExamples, EXAMPLES_DIR, exampleFileName, examplesTsconfig, importProblems, typeCheckExamples } from '../scripts/lib/examples';
import { DOCS_ROOT, workspacePackages } from '../scripts/lib/workspace';

const examples = collectExamples();
const allowed = new Set(workspacePackages().flatMap((pkg) => pkg.entryPoints.map((entry) => entry.specifier)));
const runnable = examples.filter((example) => example.meta.includes('run'));

describe('guide code examples', () => {
  let typeErrors: string[] = [];
  let runs: Record<string, string | null> = {};

  beforeAll(() => {
    typeErrors = typeCheckExamples(examples); // also writes the files the runs import
    const resultsPath = join(EXAMPLES_DIR, 'results.json');
    execFileSync(
      process.execPath,
      [join(DOCS_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(DOCS_ROOT, 'scripts', 'run-examples.ts'), resultsPath, ...runnable.map((example) => join(EXAMPLES_DIR, exampleFileName(example)))],
      { cwd: DOCS_ROOT, stdio: 'pipe', timeout: 150_000, env: { ...process.env, TSX_TSCONFIG_PATH: examplesTsconfig() } },
    );
    runs = JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, string | null>;
  }, 180_000);

  it('exist: the guides show code, and some of it runs', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8);
    expect(runnable.length).toBeGreaterThanOrEqual(4);
  });

  it('import only public entry points', () => {
    expect(examples.flatMap((example) => importProblems(example, allowed))).toEqual([]);
  });

  it('type-check against the packages as published (strict, like apps/docs)', () => {
    expect(typeErrors).toEqual([]);
  });

  it.each(runnable.map((example) => [`site/${example.page}:${example.line}`, example] as const))('%s runs in Node', (_, example) => {
    expect(runs[join(EXAMPLES_DIR, exampleFileName(example))]).toBeNull();
  });
});
