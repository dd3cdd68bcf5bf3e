import * as tf from '@tensorflow/tfjs';
import { nodeFileSystem, stripFileScheme, writeFilesAtomically, type NodeFileSystem } from '@heed/backends';
import { decodeHeedModel, HEED_CONFIG_FILE, HEED_WEIGHTS_FILE, serializeHeedModel, type HeedSavedModel } from './heed-format';

/** The legacy layout's description file (a tfjs LayersModel or Seq2Seq `model.json` + `weights.bin`). */
const LEGACY_MODEL_FILE = 'model.json';

const inNode = (): boolean => typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * Whether `destination` names a folder on disk (`file://…` or a plain path): there, heed models
 * save in the heed format as two files. Browser storage (`indexeddb://`, `localstorage://`, see
 * {@link isBrowserStorageDestination}) holds the heed format too, as one tf.io entry; other strings
 * (`downloads://`) and `tf.io.IOHandler`s get tf.io's artifacts.
 *
 * @example
 * ```ts
 * isFolderDestination('file:///tmp/vit'); // true
 * isFolderDestination('indexeddb://vit'); // false
 * ```
 */
export function isFolderDestination(destination: unknown): destination is string {
  return typeof destination === 'string' && (destination.startsWith('file://') || !/^[a-z][a-z\d+.-]*:\/\//i.test(destination));
}

/**
 * Writes a saved model into `directory` (Node): `model.safetensors`, then `config.json`, each to a
 * temporary name first and renamed only when both are complete (`writeFilesAtomically` of
 * @heed/backends, heed's one Node writer), so a failed save leaves the previous model intact.
 *
 * @param directory a folder path, with or without `file://`.
 * @param where prefix of errors, e.g. `'VitImageClassifier.save: '`.
 * @example
 * ```ts
 * await saveHeedModel(await vit.toSaved(), '/tmp/digits'); // config.json + model.safetensors
 * ```
 */
export async function saveHeedModel(saved: HeedSavedModel, directory: string, where = '', fs?: NodeFileSystem): Promise<tf.io.SaveResult> {
  if (!fs && !inNode()) {
    throw new Error(`${where}${JSON.stringify(directory.slice(0, 80))} is a folder, and only Node saves to folders; in a browser save to indexeddb:// or offer serializeHeedModel(await model.toSaved()) as downloads`);
  }
  const { config, weights } = await serializeHeedModel(saved);
  await writeFilesAtomically(
    directory,
    [
      { name: HEED_WEIGHTS_FILE, data: weights.chunks },
      { name: HEED_CONFIG_FILE, data: config },
    ],
    { where, fs },
  );
  const headerBytes = weights.chunks[0]!.byteLength;
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: new TextEncoder().encode(config).byteLength,
      weightSpecsBytes: headerBytes,
      weightDataBytes: weights.size - headerBytes,
    },
  };
}

/** The tf.io `format` of a browser-storage entry holding a heed model (config in `modelTopology`, model.safetensors in `weightData`). */
export const HEED_STORAGE_FORMAT = 'heed';

/**
 * Whether `destination` is browser storage reached through tf.io's routers, `indexeddb://name` or
 * `localstorage://name`: heed models save there in the heed format (one entry: `config.json` as
 * the model topology, `model.safetensors` as the weight data) and load both that and the tf.io
 * entries earlier versions wrote.
 *
 * @example
 * ```ts
 * isBrowserStorageDestination('indexeddb://g2p'); // true
 * isBrowserStorageDestination('downloads://g2p'); // false: downloads get tf.io's model.json + weights.bin
 * ```
 */
export function isBrowserStorageDestination(destination: unknown): destination is string {
  return typeof destination === 'string' && /^(indexeddb|localstorage):\/\//i.test(destination);
}

function storageHandler(url: string, kind: 'save' | 'load', where: string): tf.io.IOHandler {
  const handler = (kind === 'save' ? tf.io.getSaveHandlers(url) : tf.io.getLoadHandlers(url))[0];
  if (!handler) throw new Error(`${where}no tf.io ${kind} handler for ${JSON.stringify(url)}: IndexedDB and localStorage exist only in browsers`);
  return handler;
}

/**
 * Saves a heed model into browser storage (`indexeddb://name`, `localstorage://name`) in the heed
 * format: one tf.io entry whose `format` is `'heed'`, whose `modelTopology` is the model's
 * `config.json` and whose `weightData` is its `model.safetensors` bytes. The storage replaces an
 * entry only once the new one is complete (IndexedDB commits one transaction).
 *
 * @param where prefix of errors, e.g. `'Seq2Seq.save: '`.
 * @example
 * ```ts
 * await saveHeedModelToStorage(await g2p.toSaved(), 'indexeddb://g2p');
 * ```
 */
export async function saveHeedModelToStorage(saved: HeedSavedModel, url: string, where = ''): Promise<tf.io.SaveResult> {
  const handler = storageHandler(url, 'save', where);
  if (!handler.save) throw new Error(`${where}the tf.io handler for ${JSON.stringify(url)} cannot save`);
  const { config, weights } = await serializeHeedModel(saved);
  const data = new Uint8Array(weights.size);
  let offset = 0;
  for (const chunk of weights.chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return handler.save({
    format: HEED_STORAGE_FORMAT,
    generatedBy: 'heed',
    modelTopology: JSON.parse(config) as object,
    weightSpecs: [],
    weightData: data.buffer,
  });
}

/**
 * Reads a heed model from browser storage (`indexeddb://name`, `localstorage://name`) written by
 * {@link saveHeedModelToStorage}; `undefined` when the entry is one of tf.io's own (a LayersModel
 * or Seq2Seq artifacts of earlier versions), which the caller loads as before. Errors name the
 * entry and, for a bad weight, the tensor.
 *
 * @example
 * ```ts
 * const saved = await readHeedModelFromStorage('indexeddb://g2p'); // saved?.json.family: 'seq2seq'
 * ```
 */
export async function readHeedModelFromStorage(url: string, where = ''): Promise<HeedSavedModel | undefined> {
  const handler = storageHandler(url, 'load', where);
  if (!handler.load) throw new Error(`${where}the tf.io handler for ${JSON.stringify(url)} cannot load`);
  const artifacts = await handler.load();
  if (artifacts.format !== HEED_STORAGE_FORMAT) return undefined;
  const files = { config: `${url} (config.json)`, weights: `${url} (model.safetensors)` };
  const data = artifacts.weightData;
  if (data === undefined) throw new Error(`${where}${files.weights} is missing: the entry has no weight data`);
  const bytes = new Uint8Array(Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data);
  return prefixed(where, () => decodeHeedModel(JSON.stringify(artifacts.modelTopology), bytes, files));
}

async function readRegularFile(fs: NodeFileSystem, path: string, where: string): Promise<Uint8Array> {
  let stats: { isFile(): boolean };
  try {
    stats = await fs.stat(path);
  } catch (cause) {
    throw new Error(`${where}cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!stats.isFile()) throw new Error(`${where}${path} is not a regular file (a device, directory or socket)`);
  try {
    return await fs.readFile(path);
  } catch (cause) {
    throw new Error(`${where}cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

async function fetchBytes(url: string, where: string, fetcher: typeof fetch): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetcher(url);
  } catch (cause) {
    throw new Error(`${where}cannot fetch ${url}: ${(cause as Error).message}`, { cause });
  }
  if (!response.ok) throw new Error(`${where}cannot fetch ${url}: ${response.status} ${response.statusText}`.trim());
  return new Uint8Array(await response.arrayBuffer());
}

/** Options of {@link readHeedModel}. */
export interface ReadHeedModelOptions {
  /** Prefix of errors, e.g. `'Seq2Seq.load: '`. */
  where?: string;
  /** The fetch of http(s) sources (default `globalThis.fetch`); a page may pass one that reports progress. */
  fetch?: typeof fetch;
}

/**
 * Reads a saved heed model: a folder in Node (path or `file://`), or in a browser (or Node with
 * `fetch`) the http(s) URL of its folder or of its `config.json`, `model.safetensors` beside it.
 * Errors name the file (missing, not a regular file, not JSON, not a heed model, a bad tensor).
 *
 * @example
 * ```ts
 * const saved = await readHeedModel('https://example.org/weights/digits/'); // saved.json.family: 'vit'
 * ```
 */
export async function readHeedModel(source: string, options: ReadHeedModelOptions = {}): Promise<HeedSavedModel> {
  const where = options.where ?? '';
  if (/^https?:\/\//i.test(source) || !inNode()) {
    const base = typeof location === 'object' ? location.href : undefined;
    const configUrl = new URL(/\.json$/i.test(source.split(/[?#]/)[0]!) ? source : `${source.replace(/\/+$/, '')}/${HEED_CONFIG_FILE}`, base).href;
    const weightsUrl = new URL(HEED_WEIGHTS_FILE, configUrl).href;
    const fetcher = options.fetch ?? globalThis.fetch;
    const config = await fetchBytes(configUrl, where, fetcher);
    const weights = await fetchBytes(weightsUrl, where, fetcher);
    return prefixed(where, () => decodeHeedModel(config, weights, { config: configUrl, weights: weightsUrl }));
  }
  const fs = await nodeFileSystem();
  const directory = heedFolderOf(source);
  const files = { config: `${directory}/${HEED_CONFIG_FILE}`, weights: `${directory}/${HEED_WEIGHTS_FILE}` };
  const config = await readRegularFile(fs, files.config, where);
  const weights = await readRegularFile(fs, files.weights, where);
  return prefixed(where, () => decodeHeedModel(config, weights, files));
}

async function prefixed<T>(where: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new Error(`${where}${(cause as Error).message}`, { cause });
  }
}

/** The folder of a heed model path (`file://` cut, a trailing `config.json` cut). */
function heedFolderOf(source: string): string {
  const path = stripFileScheme(source);
  return path.endsWith(`/${HEED_CONFIG_FILE}`) ? path.slice(0, -HEED_CONFIG_FILE.length - 1) : path;
}

/**
 * Where a model to load is: `{ heed: source }` for the heed format (a folder holding
 * `config.json`, a `config.json` URL or a folder URL), or `{ legacy: source }` for what tf.io
 * loads (a folder holding only `model.json` + `weights.bin`, a `model.json` URL, `indexeddb://`,
 * a `tf.io.IOHandler`). Plain paths become `file://` URLs. A folder holding neither file is an
 * error naming both.
 *
 * @example
 * ```ts
 * await locateSavedModel('/tmp/old-g2p'); // { legacy: 'file:///tmp/old-g2p' } (model.json + weights.bin)
 * ```
 */
export async function locateSavedModel(source: string | tf.io.IOHandler, where = ''): Promise<{ heed: string } | { legacy: string | tf.io.IOHandler }> {
  if (typeof source !== 'string') return { legacy: source };
  if (/^(indexeddb|localstorage|downloads):\/\//i.test(source)) return { legacy: source };
  if (/^https?:\/\//i.test(source) || !inNode()) {
    const file = source.split(/[?#]/)[0]!;
    return /\.json$/i.test(file) && !file.endsWith(HEED_CONFIG_FILE) ? { legacy: source } : { heed: source };
  }
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(source) && !source.startsWith('file://')) return { legacy: source };
  const directory = heedFolderOf(source);
  if (stripFileScheme(source).endsWith(`/${LEGACY_MODEL_FILE}`)) return { legacy: `file://${directory.slice(0, -LEGACY_MODEL_FILE.length - 1)}` };
  const fs = await nodeFileSystem();
  const exists = (path: string) => fs.stat(path).then(() => true, () => false);
  if (await exists(`${directory}/${HEED_CONFIG_FILE}`)) return { heed: directory };
  if (await exists(`${directory}/${LEGACY_MODEL_FILE}`)) return { legacy: `file://${directory}` };
  const reason = await fs.stat(directory).then(
    () => 'no such file',
    (error: Error) => error.message,
  );
  throw new Error(`${where}cannot read ${directory}/${HEED_CONFIG_FILE} or the legacy ${directory}/${LEGACY_MODEL_FILE}: ${reason}`);
}
