#!/usr/bin/env node
// Adds up the Vitest JSON reports of every workspace package into one closing line
// ("tests: N passed, N failed, N skipped") so CI and people see the whole run at once.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['tooling', 'packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const directory = join(root, group, name);
    if (!existsSync(directory) || !statSync(directory).isDirectory()) continue;
    // test-results.json, plus test-results.<suite>.json from a package's second suite (e.g. e2e)
    for (const file of readdirSync(directory).filter((entry) => /^test-results(\.[\w-]+)?\.json$/.test(entry)).sort()) {
      const result = JSON.parse(readFileSync(join(directory, file), 'utf8'));
      const pending = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
      passed += result.numPassedTests;
      failed += result.numFailedTests;
      skipped += pending;
      const suite = file.slice('test-results'.length, -'.json'.length).replace(/^\./, ' ');
      rows.push(`${group}/${name}${suite}`.padEnd(28) + `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${pending} skipped`);
    }
  }
}
console.log(rows.join('\n'));
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
