/**
 * Re-exports shipped weights from the legacy layout (`model.json` + `weights.bin`) into the heed
 * format (`config.json` + `model.safetensors`, tensors named by role), the same float32 values:
 *
 *   node --import tsx scripts/pretrained/export-heed-format.ts [name …]   (default: every shipped model)
 *
 * Each folder is loaded through its legacy loader, saved with `model.save(folder)` and checked:
 * the reloaded model's weights must equal the legacy ones bit for bit before the legacy files are
 * removed. results.json is untouched (the tests prove each model still scores exactly it).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { initBackend, MODEL_FILE, nodeFileHandler, WEIGHTS_FILE } from '@heed/backends';
import { modelFamily, PRETRAINED_MODELS, PRETRAINED_NAMES, type PretrainedName } from '../../src/index';
import { loadPretrained, pretrainedPath } from '../../src/data/node';

await initBackend({ backend: 'cpu' });
const names = (process.argv.length > 2 ? process.argv.slice(2) : PRETRAINED_NAMES) as PretrainedName[];
for (const name of names) {
  const folder = pretrainedPath(name);
  const family = modelFamily(PRETRAINED_MODELS[name].kind);
  const legacy = (await family.load(nodeFileHandler(folder))) as { toSaved(): Promise<{ tensors: ReadonlyMap<string, { data: Float32Array }> }>; save(to: string): Promise<unknown>; dispose(): void };
  const before = await legacy.toSaved();
  await legacy.save(folder);
  legacy.dispose();
  const again = (await loadPretrained(name)) // config.json wins over model.json as unknown as typeof legacy;
  const after = await again.toSaved();
  again.dispose();
  for (const [tensor, { data }] of before.tensors) {
    const reloaded = after.tensors.get(tensor)?.data;
    if (!reloaded || reloaded.length !== data.length || reloaded.some((value, index) => !Object.is(value, data[index]))) throw new Error(`${name}: tensor ${tensor} changed in the re-export`);
  }
  await rm(join(folder, MODEL_FILE));
  await rm(join(folder, WEIGHTS_FILE));
  console.log(`${name}: ${before.tensors.size} tensors → ${folder}/{config.json,model.safetensors}`);
}
