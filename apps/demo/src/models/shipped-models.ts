import { PRETRAINED_MODELS, modelFamily, modelFromSaved, pretrainedUrl, readHeedModel, type PretrainedModels, type PretrainedName } from '@heed/models';
import { progressFetch, type DownloadProgress } from './fetch-artifacts';

/** The model class of each shipped weights name (the folders of `@heed/models/weights/`). */
export type ShippedModels = PretrainedModels;

/** A shipped model's name. */
export type ShippedName = PretrainedName;

/**
 * Loads a shipped model (the heed format: `config.json` + `model.safetensors`) through the family
 * its config names, as `loadPretrainedUrl` does, but reporting downloaded bytes through `fetcher`.
 */
async function loadKind(name: ShippedName, fetcher: typeof fetch): Promise<unknown> {
  const family = modelFamily(PRETRAINED_MODELS[name].kind);
  if (!family.fromSaved) return family.load(new URL(`${name}/`, weightsUrl()).href); // a Hugging Face-layout folder: its family reads it
  const saved = await readHeedModel(pretrainedUrl(weightsUrl(), name), { fetch: fetcher });
  const expected = PRETRAINED_MODELS[name].kind;
  if (saved.json.family !== expected) throw new Error(`${saved.files?.config ?? name} holds a ${saved.json.family} model; expected a ${expected} model`);
  return modelFromSaved(saved);
}

/** What the build's `weights/index.json` says about one model (see build/shipped-weights.ts). */
export interface ShippedEntry {
  files: string[];
  bytes: number;
  results?: Record<string, unknown>;
}

/** Raised when this build ships no weights for a model: the page says so instead of loading. */
export class ModelUnavailableError extends Error {
  constructor(readonly modelName: string) {
    super(`The ${modelName} model is not available: this build of the demo ships no weights for it (packages/models/weights/${modelName}/ is missing).`);
    this.name = 'ModelUnavailableError';
  }
}

/** The URL of a file of the shipped weights, relative to the page (the site works from any folder). */
export function weightsUrl(path = ''): string {
  return new URL(`weights/${path}`, document.baseURI).href;
}

let index: Promise<Record<string, ShippedEntry>> | undefined;

/** The build's list of shipped models (fetched once). */
export function shippedIndex(): Promise<Record<string, ShippedEntry>> {
  index ??= fetch(weightsUrl('index.json'))
    .then(async (response) => {
      if (!response.ok) throw new Error(`weights/index.json answered ${response.status}`);
      return ((await response.json()) as { models: Record<string, ShippedEntry> }).models;
    })
    .catch((cause: Error) => {
      index = undefined; // let a later visit try again (e.g. after coming back online)
      throw new Error(`Cannot read the list of shipped models (${cause.message}).`, { cause });
    });
  return index;
}

const loaded = new Map<ShippedName, Promise<unknown>>();
const listeners = new Map<ShippedName, Set<(progress: DownloadProgress) => void>>();

/**
 * Loads shipped model `name` once per page load (later calls share it, also across page visits),
 * reporting download progress to `onProgress`. Rejects with {@link ModelUnavailableError} when the
 * build has no weights for it, or an error naming the file when loading fails (a failed load is
 * forgotten, so the next call tries again).
 */
export function loadShipped<Name extends ShippedName>(name: Name, onProgress?: (progress: DownloadProgress) => void): Promise<ShippedModels[Name]> {
  if (onProgress) {
    if (!listeners.has(name)) listeners.set(name, new Set());
    listeners.get(name)!.add(onProgress);
  }
  let promise = loaded.get(name) as Promise<ShippedModels[Name]> | undefined;
  if (!promise) {
    promise = (async () => {
      const entry = (await shippedIndex())[name];
      if (!entry) throw new ModelUnavailableError(name);
      const fetcher = progressFetch((progress) => listeners.get(name)?.forEach((listener) => listener(progress)), entry.bytes);
      try {
        return (await loadKind(name, fetcher)) as ShippedModels[Name];
      } catch (cause) {
        throw new Error(`The ${name} model failed to load: ${(cause as Error).message}`, { cause });
      }
    })();
    loaded.set(name, promise);
    promise.catch(() => loaded.delete(name));
  }
  return promise.finally(() => {
    if (onProgress) listeners.get(name)?.delete(onProgress);
  });
}

/** The shipped model's entry in the index (its size and results), or undefined when it is not shipped. */
export async function shippedEntry(name: ShippedName): Promise<ShippedEntry | undefined> {
  return (await shippedIndex())[name];
}
