import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_FILE, nodeFileHandler, readModelJson } from '@heed/backends';
import { locateSavedModel, readHeedModel } from './heed-model-io';
import { detectModelFamily, modelFamily, modelFromSaved } from './model-families';
import { folderSource } from '../hf/sources/folder-source-node';
import { HfTextClassifier } from './hf-text-classifier';
import { checkPretrainedName, PRETRAINED_FILES, PRETRAINED_MODELS, type PretrainedModels, type PretrainedName } from './pretrained-models';

/** The package root of @heed/models: the nearest folder above this file whose package.json is `@heed/models` (works from src/ and from the built dist/). */
function packageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@heed/models') return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`pretrainedPath: cannot find the @heed/models package folder above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

/**
 * The folder of shipped weights `name` inside the installed @heed/models package
 * (`<package>/weights/<name>/`, holding `config.json`, `model.safetensors` and `results.json`). Node only.
 *
 * @param weightsRoot the folder holding the `<name>/` folders (default: the package's own `weights/`).
 * @example
 * ```ts
 * pretrainedPath('digits'); // '/…/node_modules/@heed/models/weights/digits'
 * ```
 */
export function pretrainedPath(name: PretrainedName, weightsRoot?: string): string {
  return join(weightsRoot ?? join(packageRoot(), 'weights'), checkPretrainedName(name, 'pretrainedPath'));
}

/**
 * Loads shipped weights `name` as its model class (see {@link PretrainedModels}): `g2p` →
 * `Seq2Seq`, `mnist`/`digits` → `VisionTransformer`, `sentiment`/`sentiment-transformer`/`spam`
 * → `TextClassifier`, `sentiment-bert`/`sentiment-cross-bert` → `HfTextClassifier` (a folder in
 * Hugging Face layout). Errors name the file that is missing, corrupt (bad JSON, a truncated or
 * non-finite tensor, wrong weight shapes) or of another model kind. A weights root in the legacy
 * layout (`model.json` + `weights.bin`) still loads. Node only.
 *
 * @param weightsRoot the folder holding the `<name>/` folders (default: the package's own `weights/`).
 * @example
 * ```ts
 * const spam = await loadPretrained('spam');
 * const { labelName, tokens, weights } = await spam.explain('WIN a FREE prize now!!!');
 * spam.dispose();
 * ```
 */
export async function loadPretrained<Name extends PretrainedName>(name: Name, weightsRoot?: string): Promise<PretrainedModels[Name]> {
  const directory = pretrainedPath(name, weightsRoot);
  const where = `loadPretrained(${JSON.stringify(name)})`;
  const expected = PRETRAINED_MODELS[name].kind;
  if (expected === 'hf-text') {
    try {
      return (await HfTextClassifier.fromPretrained(folderSource(directory))) as PretrainedModels[Name];
    } catch (cause) {
      throw new Error(`${where}: ${(cause as Error).message}`, { cause });
    }
  }
  const located = await locateSavedModel(directory, `${where}: `);
  if ('heed' in located) {
    const saved = await readHeedModel(located.heed, { where: `${where}: ` });
    const configFile = join(directory, PRETRAINED_FILES.config);
    if (saved.json.family !== expected) throw new Error(`${where}: ${configFile} holds a ${saved.json.family} model; expected a ${expected} model`);
    try {
      return modelFromSaved(saved) as PretrainedModels[Name];
    } catch (cause) {
      throw new Error(`${where}: ${(cause as Error).message}`, { cause });
    }
  }
  // A weights root in the legacy layout (model.json + weights.bin), as heed before the heed format wrote it.
  const modelFile = join(directory, MODEL_FILE);
  let json: Awaited<ReturnType<typeof readModelJson>>;
  try {
    json = await readModelJson(directory);
  } catch (cause) {
    throw new Error(`${where}: ${(cause as Error).message}`, { cause });
  }
  const actual = detectModelFamily(json)?.name ?? 'unknown';
  if (actual !== expected) throw new Error(`${where}: ${modelFile} holds a ${actual} model; expected a ${expected} model`);
  const handler = nodeFileHandler(directory);
  try {
    return (await modelFamily(expected).load(handler)) as PretrainedModels[Name];
  } catch (cause) {
    const message = (cause as Error).message;
    throw new Error(`${where}: ${message.includes(directory) ? message : `${modelFile} and its weights do not load: ${message}`}`, { cause });
  }
}

/**
 * Metrics, command and date of shipped weights `name`, as written to its `results.json`. Node only.
 *
 * @example
 * ```ts
 * const { metrics, command, date } = await readPretrainedResults('digits');
 * ```
 */
export async function readPretrainedResults(name: PretrainedName, weightsRoot?: string): Promise<PretrainedResults> {
  const file = join(pretrainedPath(name, weightsRoot), PRETRAINED_FILES.results);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`readPretrainedResults(${JSON.stringify(name)}): cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text) as PretrainedResults;
  } catch (cause) {
    throw new Error(`readPretrainedResults(${JSON.stringify(name)}): ${file} is not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/**
 * The `results.json` beside shipped weights.
 *
 * @example
 * ```ts
 * const results: PretrainedResults = { name: 'digits', metrics: { accuracy: 0.99 }, command: 'heed train digits', date: '2026-11-21' };
 * ```
 */
export interface PretrainedResults {
  name: string;
  /** Held-out metrics (accuracy, F1, …) as measured when the weights were made. */
  metrics: Record<string, unknown>;
  /** The command that trained the weights. */
  command: string;
  /** ISO date the weights were written. */
  date: string;
  [key: string]: unknown;
}
