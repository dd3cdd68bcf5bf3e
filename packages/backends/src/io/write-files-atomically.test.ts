import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem, type NodeFileSystem } from './node-file-system';
import { writeFilesAtomically } from './write-files-atomically';

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
});
