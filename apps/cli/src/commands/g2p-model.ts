import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Seq2Seq } from '@heed/models';
import { loadPretrained, pretrainedPath } from '@heed/models/node';

/**
 * Loads the G2P model of `heed eval g2p` / `heed predict g2p`: the folder given with `--model`
 * (what `heed train g2p --out DIR` writes: `model.json` + `weights.bin`), or, without one, the
 * shipped weights `packages/models/weights/g2p` of @heed/models. Errors start with `command` and
 * name the file that is missing, corrupt or does not match its config.
 *
 * @example
 * ```ts
 * const { model, source } = await loadG2PModel(undefined, 'heed predict g2p'); // the shipped model
 * model.dispose();
 * ```
 */
export async function loadG2PModel(directory: string | undefined, command: string): Promise<{ model: Seq2Seq; source: string }> {
  if (directory === undefined) {
    try {
      return { model: await loadPretrained('g2p'), source: pretrainedPath('g2p') };
    } catch (cause) {
      throw new Error(`${command}: cannot load the shipped G2P weights: ${(cause as Error).message}`, { cause });
    }
  }
  const folder = resolve(directory);
  const modelFile = join(folder, 'model.json');
  try {
    statSync(modelFile);
  } catch (cause) {
    // Only a missing file "does not exist"; a symlink loop or a permission error says what it is.
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`${command}: --model ${directory}: ${missing ? `${modelFile} does not exist` : `cannot read ${modelFile}: ${(cause as Error).message}`} (give the folder that heed train g2p --out wrote)`, { cause });
  }
  let model: Seq2Seq;
  try {
    model = await Seq2Seq.load(`file://${folder}`);
  } catch (cause) {
    throw new Error(`${command}: --model ${directory}: ${modelFile} and ${join(folder, 'weights.bin')} do not load: ${(cause as Error).message}`, { cause });
  }
  if (!model.vocabularies) {
    model.dispose();
    throw new Error(`${command}: --model ${directory}: ${modelFile} has no vocabularies (save the model with its tokenizers)`);
  }
  return { model, source: folder };
}
