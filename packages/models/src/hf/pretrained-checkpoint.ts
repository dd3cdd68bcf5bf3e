import { hfConfigToJson, type HfConfig } from './config/hf-architectures';
import type { HfModel } from './hf-model';
import type { HfPretrainedModel } from './hf-pretrained-model';
import type { FloatWriteDtype } from './safetensors/safetensors-dtype';
import { serializeSafetensors, type LazyTensorToWrite, type SerializedSafetensors } from './safetensors/serialize-safetensors';

/** Options of {@link savePretrained} and {@link serializePretrained}. */
export interface SavePretrainedOptions {
  /** The stored dtype of every weight (default `F32`; `F16`/`BF16` round to nearest even as `tensor.half()`). */
  readonly dtype?: FloatWriteDtype;
}

const TORCH_DTYPES: Record<FloatWriteDtype, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

function parametersOf(model: HfModel): HfPretrainedModel['parameters'] {
  const parameters = (model as Partial<HfPretrainedModel>).parameters;
  if (!parameters || typeof parameters.hfData !== 'function') {
    throw new TypeError(`model: expected a heed Hugging Face model (fromPretrained, new BertForSequenceClassification(…)); got ${model === null ? 'null' : typeof model}`);
  }
  return parameters;
}

/**
 * The `config.json` text `save_pretrained` would write for `model`: every field of its config,
 * `architectures: [model.architecture]` and `torch_dtype`.
 *
 * @example
 * ```ts
 * JSON.parse(pretrainedConfigJson(model)).architectures; // ["BertForSequenceClassification"]
 * ```
 */
export function pretrainedConfigJson(model: HfModel, options: SavePretrainedOptions = {}): string {
  const config: HfConfig = { ...model.config, architectures: [model.architecture], torch_dtype: TORCH_DTYPES[options.dtype ?? 'F32'] };
  return `${JSON.stringify(hfConfigToJson(config), null, 2)}\n`;
}

/**
 * The model's state dict in the HF layout, as lazily read tensors (`(out, in)` Linear weights,
 * HF names and order, tied weights once: the MLM decoder is the word embeddings), for a streaming
 * safetensors writer.
 *
 * @example
 * ```ts
 * const tensors = pretrainedStateDict(model); // { 'bert.embeddings.word_embeddings.weight': { shape: [30522, 768], load }, … }
 * ```
 */
export function pretrainedStateDict(model: HfModel, options: SavePretrainedOptions = {}): Record<string, LazyTensorToWrite> {
  const parameters = parametersOf(model);
  return Object.fromEntries(parameters.all.map((parameter) => [parameter.name, { shape: parameter.hfShape, dtype: options.dtype ?? 'F32', load: () => parameters.hfData(parameter.name) }]));
}

/**
 * `save_pretrained` in memory (browsers: offer the two files as downloads): `config.json` text
 * and `model.safetensors` as chunks (one tensor read at a time).
 *
 * @example
 * ```ts
 * const { config, weights } = await serializePretrained(model);
 * const blob = new Blob(weights.chunks as BlobPart[]); // model.safetensors
 * ```
 */
export async function serializePretrained(model: HfModel, options: SavePretrainedOptions = {}): Promise<{ config: string; weights: SerializedSafetensors }> {
  return { config: pretrainedConfigJson(model, options), weights: await serializeSafetensors(pretrainedStateDict(model, options), { format: 'pt' }, 'model.safetensors') };
}
