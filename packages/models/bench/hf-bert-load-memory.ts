/**
 * Child process of hf-bert-peers.ts: the memory of `fromPretrained` loading one checkpoint folder
 * on the wasm backend. Prints one JSON line: resident memory after `initBackend` (before the load),
 * the peak resident memory (VmHWM) after the load, and the resident memory once loaded, in bytes.
 *
 *   node --import tsx bench/hf-bert-load-memory.ts <folder>
 */
import { readFileSync } from 'node:fs';
import { initBackend } from '@heed/backends';
import { fromPretrained } from '../src/hf/from-pretrained';
import { folderSource } from '../src/hf/sources/folder-source-node';

const status = (field: string) => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((line) => line.startsWith(field)) ?? '')?.[1] ?? NaN) * 1024;

const folder = process.argv[2];
if (!folder) throw new Error('usage: hf-bert-load-memory.ts <folder>');
await initBackend({ backend: 'wasm' });
const before = status('VmRSS:');
const start = performance.now();
const model = await fromPretrained(folderSource(folder));
const ms = performance.now() - start;
console.log(JSON.stringify({ before, peak: status('VmHWM:'), after: status('VmRSS:'), ms }));
model.dispose();
