import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCheckpoint } from './file-checkpoint';

const child = fileURLToPath(new URL('../__fixtures__/checkpoint-save-loop.mjs', import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'heed-checkpoint-lock-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the save loop in a child process; resolves to what it printed. */
function saveLoop(directory: string, id: number, count: number, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const process = spawn('node', [child, directory, String(id), String(count), String(size)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    process.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    process.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    process.on('error', reject);
    process.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`save loop ${id} exited ${code}: ${output}`))));
  });
}

/** A pid that no process has now: a child that has already exited. */
async function deadPid(): Promise<number> {
  const exited = spawn('node', ['-e', '']);
  await new Promise((resolve) => exited.on('close', resolve));
  return exited.pid!;
}

const artifacts = (value: number) => ({
  modelTopology: { value },
  weightSpecs: [{ name: 'w', shape: [4], dtype: 'float32' as const }],
  weightData: new Float32Array(4).fill(value).buffer,
});
const loadedValue = async (directory: string) => new Float32Array((await fileCheckpoint(directory).load()).weightData as ArrayBuffer)[0];

describe('two processes saving to one directory', () => {
  it('take turns through the lock: one weights file is left, the manifest loads, no lock or temporary remains', async () => {
    const directory = `${root}/two-processes`;
    await mkdir(directory);
    const outputs = await Promise.all([saveLoop(directory, 1, 25, 50_000), saveLoop(directory, 2, 25, 50_000)]);
    expect(outputs).toEqual(['done\n', 'done\n']);
    const files = (await readdir(directory)).sort();
    expect(files.filter((name) => name.startsWith('weights-'))).toHaveLength(1);
    expect(files.filter((name) => !name.startsWith('weights-'))).toEqual(['checkpoint.json']);
    const { modelTopology, weightData } = await fileCheckpoint(directory).load();
    const writer = (modelTopology as { writer: number; save: number }).writer;
    expect(modelTopology).toEqual({ writer, save: 24 }); // the last save of whichever process committed last
    expect(new Set(new Float32Array(weightData as ArrayBuffer))).toEqual(new Set([writer]));
  }, 60_000);
});

describe('the lock file', () => {
  it('left by a process that died is taken over', async () => {
    const directory = `${root}/stale`;
    await mkdir(directory);
    await fileCheckpoint(directory).save(artifacts(1));
    await writeFile(`${directory}/checkpoint.json.lock`, JSON.stringify({ pid: await deadPid(), hostname: hostname(), createdAt: Date.now() }));
    await fileCheckpoint(directory, { lockTimeoutMs: 2_000 }).save(artifacts(2));
    expect(await loadedValue(directory)).toBe(2);
    expect((await readdir(directory)).filter((name) => name.includes('lock'))).toEqual([]);
  });

  it('older than 10 minutes is taken over even if its process lives', async () => {
    const directory = `${root}/old`;
    await mkdir(directory);
    await writeFile(`${directory}/checkpoint.json.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: Date.now() - 11 * 60_000 }));
    await fileCheckpoint(directory, { lockTimeoutMs: 2_000 }).save(artifacts(3));
    expect(await loadedValue(directory)).toBe(3);
  });

  it('held by a live process makes a save wait, then fail by name, leaving the checkpoint as it was', async () => {
    const directory = `${root}/held`;
    await mkdir(directory);
    await fileCheckpoint(directory).save(artifacts(4));
    const before = (await readdir(directory)).sort();
    await writeFile(`${directory}/checkpoint.json.lock`, JSON.stringify({ pid: process.pid, hostname: hostname(), createdAt: Date.now() }));
    const error = await fileCheckpoint(directory, { lockTimeoutMs: 300 }).save(artifacts(5)).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(
      new RegExp(`^fileCheckpoint: ${directory}/checkpoint\\.json\\.lock is held by process ${process.pid} on .+ since \\d{4}-.+Z; waited 0 s for its save\\. If no save is running, remove that file\\.$`),
    );
    expect((await readdir(directory)).sort()).toEqual([...before, 'checkpoint.json.lock'].sort());
    expect(await loadedValue(directory)).toBe(4);
    expect(JSON.parse(await readFile(`${directory}/checkpoint.json.lock`, 'utf8')).pid).toBe(process.pid); // not ours to remove
  });
});
