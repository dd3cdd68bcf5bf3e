import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SafetensorsError } from './safetensors-error';
import { fileByteSource, openSafetensorsNode, saveSafetensorsCheckpointNode, writeSafetensorsNode } from './safetensors-node';
import { SafetensorsReader } from './safetensors-reader';
import { safetensorsBytes } from './serialize-safetensors';
import { parseSafetensorsIndex } from './sharded-safetensors';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'torch-dtypes.safetensors');
const folders: string[] = [];
async function folder(): Promise<string> {
  const path = await mkdtemp(join(tmpdir(), 'heed-safetensors-'));
  folders.push(path);
  return path;
}
afterAll(async () => {
  for (const path of folders) await rm(path, { recursive: true, force: true });
});

const tensors = (scale: number) => ({
  'bert.embeddings.word_embeddings.weight': { shape: [10, 8], data: Float32Array.from({ length: 80 }, (_, i) => i * scale) },
  'bert.encoder.layer.0.attention.self.query.weight': { shape: [8, 8], data: Float32Array.from({ length: 64 }, (_, i) => -i * scale), dtype: 'F16' as const },
  'bert.pooler.dense.bias': { shape: [8], data: new Float32Array(8).fill(scale), dtype: 'BF16' as const },
  'bert.embeddings.position_ids': { shape: [1, 4], bytes: new Uint8Array(new BigInt64Array([0n, 1n, 2n, 3n]).buffer), dtype: 'I64' as const },
});

async function values(path: string): Promise<Record<string, number[]>> {
  const reader = await openSafetensorsNode(path);
  const out: Record<string, number[]> = {};
  for await (const tensor of reader.tensors({ skipIntegers: true })) out[tensor.name] = Array.from(tensor.data as Float32Array);
  await reader.close();
  return out;
}

describe('safetensors on disk (Node)', () => {
  it('reads the PyTorch-written fixture range by range through a file handle', async () => {
    const reader = await SafetensorsReader.open(await fileByteSource(fixture));
    expect(Array.from((await reader.read('scalar.f32')).data as Float32Array)).toEqual([7.25]);
    expect(reader.names).toContain('x.bf16');
    await reader.close();
  });

  it('writes a file and reads the same values back; opens a folder by its model.safetensors', async () => {
    const dir = await folder();
    await writeSafetensorsNode(join(dir, 'model.safetensors'), tensors(0.5));
    const back = await values(dir);
    expect(Object.keys(back)).toEqual(['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.0.attention.self.query.weight', 'bert.pooler.dense.bias']);
    expect(back['bert.embeddings.word_embeddings.weight']).toEqual(Array.from(tensors(0.5)['bert.embeddings.word_embeddings.weight'].data));
    expect(back['bert.pooler.dense.bias']).toEqual(new Array(8).fill(0.5));
  });

  it('a save that fails half way leaves the old file intact and no temporary behind', async () => {
    const dir = await folder();
    const path = join(dir, 'model.safetensors');
    await writeSafetensorsNode(path, tensors(1));
    const before = await readFile(path);
    const failing = {
      first: { shape: [1000], data: new Float32Array(1000).fill(3) },
      second: { shape: [2], load: async () => { throw new Error('GPU lost'); } },
    };
    await expect(writeSafetensorsNode(path, failing)).rejects.toThrow(/model\.safetensors \(tensor "second"\): write failed, the previous file is untouched: GPU lost/);
    await expect(writeSafetensorsNode(path, { w: { shape: [2], data: new Float32Array(3) } })).rejects.toThrow(SafetensorsError);
    expect(Buffer.compare(await readFile(path), before)).toBe(0);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('shards like save_pretrained, reads through the index, and replaces either layout cleanly', async () => {
    const dir = await folder();
    await writeSafetensorsNode(join(dir, 'model.safetensors'), tensors(1));
    const files = await saveSafetensorsCheckpointNode(dir, tensors(2), { maxShardBytes: 150 });
    expect(files).toEqual(['model-00001-of-00003.safetensors', 'model-00002-of-00003.safetensors', 'model-00003-of-00003.safetensors', 'model.safetensors.index.json']);
    expect((await readdir(dir)).sort()).toEqual([...files].sort()); // the old single file is gone
    const index = parseSafetensorsIndex(await readFile(join(dir, 'model.safetensors.index.json'), 'utf8'));
    expect(index.metadata).toEqual({ total_size: 320 + 128 + 16 + 32 });
    expect(index.weightMap['bert.pooler.dense.bias']).toBe('model-00002-of-00003.safetensors'); // 128 + 16 bytes fit 150
    expect(index.weightMap['bert.embeddings.position_ids']).toBe('model-00003-of-00003.safetensors');
    const back = await values(dir);
    expect(back['bert.encoder.layer.0.attention.self.query.weight']).toEqual(Array.from({ length: 64 }, (_, i) => -i * 2));
    const reader = await openSafetensorsNode(join(dir, 'model.safetensors.index.json'));
    expect(Array.from((await reader.read('bert.embeddings.position_ids')).data as BigInt64Array)).toEqual([0n, 1n, 2n, 3n]);
    await reader.close();
    // A failing sharded save leaves the three shards and the index exactly as they were.
    const snapshot = await Promise.all(files.map((file) => readFile(join(dir, file))));
    await expect(saveSafetensorsCheckpointNode(dir, { ...tensors(3), late: { shape: [1], load: () => { throw new Error('disk full'); } } }, { maxShardBytes: 150 }))
      .rejects.toThrow(/disk full/);
    expect((await readdir(dir)).sort()).toEqual([...files].sort());
    for (const [i, file] of files.entries()) expect(Buffer.compare(await readFile(join(dir, file)), snapshot[i]!)).toBe(0);
    // Back to one file: the shards and the index are removed.
    expect(await saveSafetensorsCheckpointNode(dir, tensors(4))).toEqual(['model.safetensors']);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('names the shard and the tensor when an index and its shards disagree', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'model-00001-of-00001.safetensors'), await safetensorsBytes({ a: { shape: [1], data: new Float32Array(1) } }));
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'model-00001-of-00001.safetensors', b: 'model-00001-of-00001.safetensors' } }));
    await expect(openSafetensorsNode(dir)).rejects.toThrow(/model-00001-of-00001\.safetensors \(tensor "b"\): .*model\.safetensors\.index\.json lists this tensor here but the shard does not hold it/);
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { a: 'model-00002-of-00002.safetensors' } }));
    await expect(openSafetensorsNode(dir)).rejects.toThrow(/model-00002-of-00002\.safetensors: cannot open: ENOENT/);
    await expect(openSafetensorsNode(join(dir, 'nothing'))).rejects.toThrow(/nothing: cannot open: ENOENT/);
    await rm(join(dir, 'model.safetensors.index.json'));
    await rm(join(dir, 'model-00001-of-00001.safetensors'));
    await expect(openSafetensorsNode(dir)).rejects.toThrow(/folder holds neither model\.safetensors nor model\.safetensors\.index\.json/);
  });
});
