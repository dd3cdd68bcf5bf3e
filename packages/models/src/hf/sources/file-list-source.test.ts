import { describe, expect, it } from 'vitest';
import { safetensorsBytes } from '../safetensors/serialize-safetensors';
import { CheckpointSourceError } from './checkpoint-source';
import { fileListSource } from './file-list-source';
import { openCheckpointWeights } from './open-checkpoint-weights';

/** A File as a folder drop gives it: the folder path in webkitRelativePath. */
function dropped(parts: BlobPart[], path: string): File {
  const file = new File(parts, path.split('/').pop()!);
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
}

describe('fileListSource (a dropped folder)', () => {
  it('finds the checkpoint files by base name and reads weights through File.slice', async () => {
    const weights = await safetensorsBytes({ 'classifier.weight': { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]), dtype: 'F16' } });
    const source = fileListSource([
      dropped(['{"model_type":"distilbert"}'], 'my-model/config.json'),
      dropped([weights], 'my-model/model.safetensors'),
    ]);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(JSON.parse(await source.readText('config.json')).model_type).toBe('distilbert');
    const reader = await openCheckpointWeights(source);
    expect(Array.from((await reader.read('classifier.weight')).data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('names a missing file and two files of the same name', async () => {
    const source = fileListSource([dropped(['{}'], 'a/config.json')]);
    await expect(source.readText('tokenizer.json')).rejects.toThrow(/^tokenizer\.json: not among the dropped files \(config\.json\)$/);
    expect(() => fileListSource([dropped(['{}'], 'a/config.json'), dropped(['{}'], 'b/config.json')]))
      .toThrow(new CheckpointSourceError('config.json', 'two dropped files have this name (a/config.json and b/config.json): drop one checkpoint folder'));
  });
});
