import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { safetensorsBytes } from '../safetensors/serialize-safetensors';
import { folderSource } from './folder-source-node';
import { openCheckpointWeights } from './open-checkpoint-weights';

let folder = '';
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('folderSource (Node)', () => {
  it('reads config and weights from a folder, and names a missing file', async () => {
    folder = await mkdtemp(join(tmpdir(), 'heed-folder-source-'));
    await writeFile(join(folder, 'config.json'), '{"model_type":"vit"}');
    await writeFile(join(folder, 'model.safetensors'), await safetensorsBytes({ 'vit.pooler.dense.bias': { shape: [2], data: new Float32Array([3, 4]) } }));
    const source = folderSource(folder);
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(JSON.parse(await source.readText('config.json')).model_type).toBe('vit');
    const weights = await openCheckpointWeights(source);
    expect(Array.from((await weights.read('vit.pooler.dense.bias')).data as Float32Array)).toEqual([3, 4]);
    await weights.close();
    await expect(source.readText('preprocessor_config.json')).rejects.toThrow(/preprocessor_config\.json: cannot read \(ENOENT\)/);
    await writeFile(join(folder, 'pytorch_model.bin'), '');
    await rm(join(folder, 'model.safetensors'));
    await expect(openCheckpointWeights(source)).rejects.toThrow(/holds neither model\.safetensors nor model\.safetensors\.index\.json \(it has pytorch_model\.bin/);
  });
});
