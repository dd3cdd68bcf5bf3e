import { initBackend } from '@heed/backends';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fromPretrained } from './from-pretrained';
import { pretrainedStateDict, serializePretrained } from './pretrained-checkpoint';
import { savePretrained } from './save-pretrained-node';
import { folderSource } from './sources/folder-source-node';
import { HF_FIXTURES } from './testing/hf-fixtures';

it('serializePretrained gives in memory the bytes savePretrained writes; a non-heed model is refused by name', async () => {
  await initBackend({ backend: 'cpu' });
  const model = await fromPretrained(folderSource(join(HF_FIXTURES, 'bert-mlm-f16')), { onWarning: () => undefined });
  const folder = await mkdtemp(join(tmpdir(), 'heed-serialize-'));
  try {
    await savePretrained(model, folder, { dtype: 'F16' });
    const { config, weights } = await serializePretrained(model, { dtype: 'F16' });
    expect(config).toBe(await readFile(join(folder, 'config.json'), 'utf8'));
    expect(Buffer.concat(weights.chunks.map((chunk) => Buffer.from(chunk))).equals(await readFile(join(folder, 'model.safetensors')))).toBe(true);
    // The tied decoder is written once, as the word embeddings (save_pretrained drops the shared copy).
    expect(Object.keys(pretrainedStateDict(model))).not.toContain('cls.predictions.decoder.weight');
  } finally {
    model.dispose();
    await rm(folder, { recursive: true, force: true });
  }
  expect(() => pretrainedStateDict({ config: {}, architecture: 'X', weights: [] } as never)).toThrow(/model: expected a heed Hugging Face model/);
});
