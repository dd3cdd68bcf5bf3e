// Runs guide examples (files written by typeCheckExamples) one after another in this process and
// writes `{ file: error | null }` as JSON to the path given first: one tfjs start-up for all.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [resultsPath, ...files] = process.argv.slice(2);
if (!resultsPath) throw new Error('usage: run-examples <results.json> <example.ts>...');
const results: Record<string, string | null> = {};
for (const file of files) {
  try {
    await import(pathToFileURL(file).href);
    results[file] = null;
  } catch (error) {
    results[file] = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2));
