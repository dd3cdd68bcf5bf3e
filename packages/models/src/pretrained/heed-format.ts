import { nonFiniteValues } from '@heed/backends';
import { bytesSource, type ByteSource } from '../hf/safetensors/byte-source';
import { SafetensorsError } from '../hf/safetensors/safetensors-error';
import { SafetensorsReader } from '../hf/safetensors/safetensors-reader';
import { serializeSafetensors, type SerializedSafetensors } from '../hf/safetensors/serialize-safetensors';

/** The configuration file of a saved heed model (see {@link HeedConfigJson}). */
export const HEED_CONFIG_FILE = 'config.json';
/** The weights file of a saved heed model: safetensors, tensors named by role. */
export const HEED_WEIGHTS_FILE = 'model.safetensors';
/** `config.json`'s `format` (and the safetensors `__metadata__.format`) of a saved heed model. */
export const HEED_FORMAT = 'heed';
/** The version of the heed model format this package writes (and the newest it reads). */
export const HEED_FORMAT_VERSION = 1;

/**
 * `config.json` of a saved heed model: the format, the family (a key of the `modelFamily`
 * registry: `seq2seq`, `vit`, `text`) and the family's configuration, plus whatever else the
 * family needs to rebuild the model (a text classifier's `tokenizer`, a Seq2Seq's `vocabularies`,
 * as Hugging Face tokenizer JSON).
 *
 * @example
 * ```ts
 * const json: HeedConfigJson = { format: 'heed', format_version: 1, family: 'vit', config: { imageSize: [8, 8], patchSize: 2, numClasses: 10 } };
 * ```
 */
export interface HeedConfigJson {
  format: typeof HEED_FORMAT;
  format_version: number;
  family: string;
  config: Record<string, unknown>;
  [extra: string]: unknown;
}

/** One float32 tensor of a saved heed model, row-major. */
export interface HeedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A heed model as plain data: what `config.json` holds and the weights by role name
 * (`encoder_block_0/self_attention/query/kernel`, `decoder/lstm/kernel`), in the model's order.
 * Every family turns its model into one (`toSaved()`) and back (`fromSaved()`).
 *
 * @example
 * ```ts
 * const saved = await vit.toSaved(); // { json: { format: 'heed', family: 'vit', config, … }, tensors }
 * const again = VitImageClassifier.fromSaved(saved);
 * ```
 */
export interface HeedSavedModel {
  readonly json: HeedConfigJson;
  readonly tensors: ReadonlyMap<string, HeedTensor>;
  /** Where it was read from (paths or URLs of `config.json` and `model.safetensors`), for error messages. */
  readonly files?: { readonly config: string; readonly weights: string };
}

/**
 * The `config.json` of a family's model: `extra` keys go beside `config`.
 *
 * @example
 * ```ts
 * heedConfigJson('text', classifier.getConfig(), { tokenizer: tokenizer.toJSON() });
 * ```
 */
export function heedConfigJson(family: string, config: object, extra: Record<string, unknown> = {}): HeedConfigJson {
  return { format: HEED_FORMAT, format_version: HEED_FORMAT_VERSION, family, config: config as Record<string, unknown>, ...extra };
}

/**
 * Serializes a saved model: `config.json`'s text and `model.safetensors` as chunks (F32,
 * `__metadata__: {format: "heed", family}`), through heed's one safetensors writer. Browsers
 * offer them as downloads; Node's `saveHeedModel` writes them atomically.
 *
 * @example
 * ```ts
 * const { config, weights } = await serializeHeedModel(await classifier.toSaved());
 * const blob = new Blob(weights.chunks); // model.safetensors
 * ```
 */
export async function serializeHeedModel(saved: HeedSavedModel): Promise<{ config: string; weights: SerializedSafetensors }> {
  const tensors = Object.fromEntries([...saved.tensors].map(([name, tensor]) => [name, { shape: tensor.shape, data: tensor.data }]));
  const weights = await serializeSafetensors(tensors, { format: HEED_FORMAT, family: saved.json.family }, HEED_WEIGHTS_FILE);
  return { config: `${JSON.stringify(saved.json)}\n`, weights };
}

/**
 * Whether parsed JSON is a heed `config.json` (Hugging Face configs carry `model_type` instead).
 *
 * @example
 * ```ts
 * isHeedConfigJson(JSON.parse(text)); // true for heed's config.json, false for BERT's
 * ```
 */
export function isHeedConfigJson(json: unknown): json is HeedConfigJson {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === HEED_FORMAT;
}

/**
 * Parses and checks a heed `config.json`; errors name `file` and what is wrong (not JSON, not a
 * heed model, a newer format version, no family or config).
 *
 * @example
 * ```ts
 * const json = parseHeedConfig(await (await fetch(url)).text(), url); // json.family: 'vit'
 * ```
 */
export function parseHeedConfig(text: string | Uint8Array, file: string): HeedConfigJson {
  let json: unknown;
  try {
    json = JSON.parse(typeof text === 'string' ? text : new TextDecoder().decode(text));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON (${(cause as Error).message}); the file is corrupt`, { cause });
  }
  if (!isHeedConfigJson(json)) {
    const format = typeof json === 'object' && json !== null ? (json as { format?: unknown }).format : undefined;
    throw new Error(`${file} is not a heed model config: format is ${JSON.stringify(format)}, expected "${HEED_FORMAT}"${typeof json === 'object' && json !== null && 'model_type' in json ? ' (it is a Hugging Face config: use fromPretrained)' : ''}`);
  }
  if (!Number.isInteger(json.format_version) || json.format_version < 1 || json.format_version > HEED_FORMAT_VERSION) {
    throw new Error(`${file}: format_version ${JSON.stringify(json.format_version)} is not supported; this @heed/models reads versions 1 to ${HEED_FORMAT_VERSION} (a newer heed wrote it?)`);
  }
  if (typeof json.family !== 'string' || json.family === '') throw new Error(`${file}: family must be a non-empty string; got ${JSON.stringify(json.family)}`);
  if (typeof json.config !== 'object' || json.config === null || Array.isArray(json.config)) throw new Error(`${file}: config must be an object; got ${JSON.stringify(json.config)?.slice(0, 60)}`);
  return json;
}

/**
 * Reads every tensor of a heed `model.safetensors` as float32 (F16 and BF16 are widened): a
 * tensor of another dtype, or holding NaN or ±Infinity, is refused naming the file and the tensor,
 * before anything is used.
 *
 * @example
 * ```ts
 * const tensors = await readHeedWeights(bytesSource(bytes, 'digits/model.safetensors'));
 * tensors.get('head/kernel')!.shape; // [64, 10]
 * ```
 */
export async function readHeedWeights(source: ByteSource): Promise<Map<string, HeedTensor>> {
  const reader = await SafetensorsReader.open(source);
  const tensors = new Map<string, HeedTensor>();
  try {
    for (const entry of reader.header.entries) {
      if (entry.dtype !== 'F32' && entry.dtype !== 'F16' && entry.dtype !== 'BF16') {
        throw new SafetensorsError(source.name, `dtype ${entry.dtype}; a heed model's weights are F32 (or F16/BF16)`, entry.name);
      }
      const { data } = await reader.read(entry.name);
      const values = data as Float32Array;
      const problem = nonFiniteValues(values);
      if (problem) throw new SafetensorsError(source.name, `[${entry.shape.join(', ')}] holds ${problem}`, entry.name);
      tensors.set(entry.name, { shape: entry.shape, data: values });
    }
  } finally {
    await reader.close();
  }
  return tensors;
}

/**
 * A saved model from the bytes of its two files (what a browser fetched, or Node read); errors
 * name the file.
 *
 * @param files the names (paths or URLs) of `config.json` and `model.safetensors`, for errors.
 * @example
 * ```ts
 * const saved = await decodeHeedModel(configBytes, weightBytes, { config: 'digits/config.json', weights: 'digits/model.safetensors' });
 * ```
 */
export async function decodeHeedModel(config: string | Uint8Array, weights: Uint8Array | ByteSource, files: { config: string; weights: string }): Promise<HeedSavedModel> {
  const json = parseHeedConfig(config, files.config);
  const tensors = await readHeedWeights(weights instanceof Uint8Array ? bytesSource(weights, files.weights) : weights);
  return { json, tensors, files };
}
