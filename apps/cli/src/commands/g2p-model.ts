import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Seq2Seq } from '@heed/models';
import { loadPretrained, pretrainedPath } from '@heed/models/node';

/**
 * Loads the G2P model of `heed eval g2p` / `heed predict g2p`: the folder given with `--model`
 * (what `heed train g2p --out DIR` writes: `config.json` + `model.safetensors`; older runs' `model.json`
 * + `weights.bin` still load), or, without one, the
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
  // The heed format (config.json + model.safetensors), or the legacy layout (model.json + weights.bin) of older runs.
  let modelFile = join(folder, 'config.json');
  let weightsFile = join(folder, 'model.safetensors');
  const probe = (file: string): NodeJS.ErrnoException | undefined => {
    try {
      statSync(file);
      return undefined;
    } catch (cause) {
      return cause as NodeJS.ErrnoException;
    }
  };
  let problem = probe(modelFile);
  if (problem?.code === 'ENOENT' && probe(join(folder, 'model.json'))?.code !== 'ENOENT') {
    [modelFile, weightsFile] = [join(folder, 'model.json'), join(folder, 'weights.bin')];
    problem = probe(modelFile);
  }
  if (problem) {
    // Only a missing file "does not exist"; a symlink loop or a permission error says what it is.
    const missing = problem.code === 'ENOENT';
    throw new Error(`${command}: --model ${directory}: ${missing ? `${modelFile} does not exist` : `cannot read ${modelFile}: ${problem.message}`} (give the folder that heed train g2p --out wrote)`, { cause: problem });
  }
  let model: Seq2Seq;
  try {
    model = await Seq2Seq.load(`file://${folder}`);
  } catch (cause) {
    throw new Error(`${command}: --model ${directory}: ${modelFile} and ${weightsFile} do not load: ${(cause as Error).message}`, { cause });
  }
  if (!model.vocabularies) {
    model.dispose();
    throw new Error(`${command}: --model ${directory}: ${modelFile} has no vocabularies (save the model with its tokenizers)`);
  }
  return { model, source: folder };
}
