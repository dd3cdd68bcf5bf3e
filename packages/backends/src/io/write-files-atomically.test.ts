import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem, type NodeFileSystem } from './node-file-system';
import { writeFileAtomically, writeFilesAtomically } from './write-files-atomically';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'heed-atomic-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('writeFilesAtomically', () => {
  it('writes every file (chunks joined in order), creates the folder, and leaves no temporary file', async () => {
    const directory = join(scratch, 'new', 'folder');
    await writeFilesAtomically(`file://${directory}/`, [{ name: 'a.bin', data: [new Uint8Array([1, 2]), new Uint8Array([3])] }, { name: 'b.json', data: '{"b":1}' }]);
    expect((await readdir(directory)).sort()).toEqual(['a.bin', 'b.json']);
    expect([...(await readFile(join(directory, 'a.bin')))]).toEqual([1, 2, 3]);
    expect(await readFile(join(directory, 'b.json'), 'utf8')).toBe('{"b":1}');
  });

  it('a disk that fails on the second file leaves both old files as they were, and no temporary file', async () => {
    const directory = join(scratch, 'old');
    await writeFilesAtomically(directory, [{ name: 'weights', data: 'old weights' }, { name: 'config', data: 'old config' }]);
    const real = await nodeFileSystem();
    let writes = 0;
    const failing: NodeFileSystem = {
      ...real,
      writeFile: async (path, data) => {
        if (++writes === 2) throw new Error('ENOSPC: no space left on device');
        await real.writeFile(path, data);
      },
    };
    await expect(writeFilesAtomically(directory, [{ name: 'weights', data: 'new weights' }, { name: 'config', data: 'new config' }], { fs: failing, where: 'save: ' })).rejects.toThrow(
      `save: cannot write ${directory}/config (the previous files are untouched): ENOSPC: no space left on device`,
    );
    expect((await readdir(directory)).sort()).toEqual(['config', 'weights']);
    expect(await readFile(join(directory, 'weights'), 'utf8')).toBe('old weights');
    expect(await readFile(join(directory, 'config'), 'utf8')).toBe('old config');
  });

  it('refuses a folder that is not a path, and a folder under a file', async () => {
    await expect(writeFilesAtomically('', [])).rejects.toThrow('directory must be a folder path; got ""');
    await writeFile(join(scratch, 'plain-file'), 'x');
    await expect(writeFilesAtomically(join(scratch, 'plain-file', 'sub'), [{ name: 'a', data: 'a' }], { where: 'save: ' })).rejects.toThrow(`save: cannot create the folder ${join(scratch, 'plain-file', 'sub')}`);
  });

  it('streams chunks: each is on disk before the next is asked for, and the file is renamed only when complete', async () => {
    const directory = join(scratch, 'stream');
    const sizes: number[] = [];
    async function* chunks() {
      for (let i = 0; i < 4; i++) {
        const temporaries = (await readdir(directory).catch(() => [])).filter((name) => name.startsWith('.big.bin.'));
        sizes.push(temporaries.length === 1 ? (await stat(join(directory, temporaries[0]!))).size : -1);
        yield new Uint8Array(1000).fill(i);
      }
    }
    await writeFilesAtomically(directory, [{ name: 'big.bin', data: chunks() }]);
    expect(sizes).toEqual([0, 1000, 2000, 3000]);
    const bytes = await readFile(join(directory, 'big.bin'));
    expect(bytes.length).toBe(4000);
    expect([bytes[0], bytes[999], bytes[1000], bytes[3999]]).toEqual([0, 0, 1, 3]);
    expect(await readdir(directory)).toEqual(['big.bin']);
  });

  it('a chunk source that throws half way leaves the old files intact, removes every temporary and keeps the error as cause', async () => {
    const directory = join(scratch, 'throwing');
    await writeFilesAtomically(directory, [{ name: 'a.bin', data: 'old a' }, { name: 'b.bin', data: 'old b' }]);
    const lost = new Error('GPU lost');
    async function* failing() {
      yield new Uint8Array([1, 2, 3]);
      throw lost;
    }
    const error = await writeFilesAtomically(directory, [{ name: 'a.bin', data: [new Uint8Array([9])] }, { name: 'b.bin', data: failing() }], { where: 'save: ' }).then(
      () => new Error('no error'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toBe(`save: cannot write ${directory}/b.bin (the previous files are untouched): GPU lost`);
    expect(error.cause).toBe(lost);
    expect((await readdir(directory)).sort()).toEqual(['a.bin', 'b.bin']);
    expect(await readFile(join(directory, 'a.bin'), 'utf8')).toBe('old a');
    expect(await readFile(join(directory, 'b.bin'), 'utf8')).toBe('old b');
  });

  it('joins chunks through writeFile when the file system has no writeFileChunks', async () => {
    const directory = join(scratch, 'no-chunks');
    const { writeFileChunks: _unused, ...real } = await nodeFileSystem();
    const seen: number[] = [];
    const plain: NodeFileSystem = { ...real, writeFile: async (path, data) => (seen.push(typeof data === 'string' ? -1 : data.byteLength), real.writeFile(path, data)) };
    await writeFilesAtomically(directory, [{ name: 'x', data: [new Uint8Array([1]), new Uint8Array([2, 3])] }], { fs: plain });
    expect(seen).toEqual([3]);
    expect([...(await readFile(join(directory, 'x')))]).toEqual([1, 2, 3]);
  });

  it('removeStale removes the old layout only after every rename, and never a file just written', async () => {
    const directory = join(scratch, 'stale');
    await writeFilesAtomically(directory, [{ name: 'model-00001-of-00002.safetensors', data: '1' }, { name: 'model-00002-of-00002.safetensors', data: '2' }, { name: 'notes.txt', data: 'mine' }]);
    const shard = (name: string) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(name) || name === 'model.safetensors';
    await writeFilesAtomically(directory, [{ name: 'model.safetensors', data: 'one' }], { removeStale: shard });
    expect((await readdir(directory)).sort()).toEqual(['model.safetensors', 'notes.txt']);
    // A failed write removes nothing.
    const real = await nodeFileSystem();
    const failing: NodeFileSystem = { ...real, writeFile: () => Promise.reject(new Error('EIO')) };
    await expect(writeFilesAtomically(directory, [{ name: 'model-00001-of-00001.safetensors', data: 'x' }], { fs: failing, removeStale: shard })).rejects.toThrow('EIO');
    expect((await readdir(directory)).sort()).toEqual(['model.safetensors', 'notes.txt']);
  });
});

describe('writeFileAtomically', () => {
  it('replaces one file by a rename and refuses a path without a file name', async () => {
    const path = join(scratch, 'single', 'results.json');
    await writeFileAtomically(`file://${path}`, '{"a":1}');
    await writeFileAtomically(path, '{"a":2}');
    expect(await readFile(path, 'utf8')).toBe('{"a":2}');
    expect(await readdir(join(scratch, 'single'))).toEqual(['results.json']);
    await expect(writeFileAtomically('', 'x', { where: 'save: ' })).rejects.toThrow('save: path must be a file path; got ""');
    await expect(writeFileAtomically(`${scratch}/single/`, 'x')).rejects.toThrow(`path must be a file path; got "${scratch}/single/"`);
    await expect(writeFileAtomically(`${scratch}/..`, 'x')).rejects.toThrow('path must be a file path');
  });
});
