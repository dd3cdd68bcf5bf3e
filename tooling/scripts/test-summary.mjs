#!/usr/bin/env node
// Adds up the Vitest JSON reports of every workspace package into one closing line
// ("tests: N passed, N failed, N skipped") so CI and people see the whole run at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const group of ['tooling', 'packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const report = join(root, group, name, 'test-results.json');
    if (!existsSync(report)) continue;
    const result = JSON.parse(readFileSync(report, 'utf8'));
    const pending = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += pending;
    rows.push(`${group}/${name}`.padEnd(28) + `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${pending} skipped`);
  }
}
console.log(rows.join('\n'));
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
