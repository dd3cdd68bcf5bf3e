// One backend in a fresh Node process: `tsx scripts/bench/node-run.ts wasm` prints a BackendRun
// as JSON on its last line (run by bench-backends.ts; a process per backend keeps "start" cold).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BackendName } from '@heed/backends';
import { runBackend } from './backend-ops';
import { REPO_ROOT } from '../lib/workspace';

const backend = process.argv[2] as BackendName;
const model = pathToFileURL(resolve(REPO_ROOT, 'packages', 'models', 'weights', 'g2p')).href;
const run = await runBackend(backend, model, { budgetMs: Number(process.env.HEED_BENCH_BUDGET_MS ?? 4000) });
console.log(JSON.stringify(run));
