import * as tf from '@tensorflow/tfjs';
import { Tokenizer } from '@heed/tokenizers';
import { nodeFileHandler } from '@heed/backends';
import type { Seq2SeqConfig } from './seq2seq-config';
import { heedConfigJson, type HeedSavedModel } from '../pretrained/heed-format';
import { readSlots } from '../pretrained/saved-tensors';
import type { WeightRegistry } from './weight-registry';

/** The family name of Seq2Seq models in the registry and in a saved `config.json`. */
export const SEQ2SEQ_FAMILY = 'seq2seq';

/**
 * The `modelTopology.format` of saved {@link Seq2Seq} models.
 *
 * @example
 * ```ts
 * JSON.parse(modelJson).format === SEQ2SEQ_FORMAT;
 * ```
 */
export const SEQ2SEQ_FORMAT = 'heed-seq2seq';

/**
 * What a saved Seq2Seq model's `modelTopology` holds.
 *
 * @example
 * ```ts
 * const topology = JSON.parse(modelJson).modelTopology as Seq2SeqTopology; topology.config.attention;
 * ```
 */
export interface Seq2SeqTopology {
  format: typeof SEQ2SEQ_FORMAT;
  version: 1;
  config: Seq2SeqConfig;
  vocabularies: { source: Record<string, unknown>; target: Record<string, unknown> } | null;
}

/** `file://…` → a Node directory handler; other strings → tf.io's routers (indexeddb://, http(s)://, localstorage://). */
export function resolveHandler(destination: string | tf.io.IOHandler, kind: 'save' | 'load'): { handler: tf.io.IOHandler; where: string } {
  if (typeof destination !== 'string') return { handler: destination, where: 'the given IOHandler' };
  if (destination.startsWith('file://')) return { handler: nodeFileHandler(destination, { where: 'Seq2Seq.load: ' }), where: destination };
  const handlers = kind === 'save' ? tf.io.getSaveHandlers(destination) : tf.io.getLoadHandlers(destination);
  const handler = handlers[0] ?? (kind === 'load' && /^https?:\/\//.test(destination) ? tf.io.http(destination) : undefined);
  if (!handler) throw new Error(`Seq2Seq.${kind}: no tf.io handler for ${JSON.stringify(destination)} (use file://, indexeddb://, localstorage:// or an http(s) URL)`);
  return { handler, where: destination };
}

/** Model artifacts of a model: topology JSON + weights in registry order. */
export async function encodeSeq2Seq(config: Seq2SeqConfig, weights: WeightRegistry, vocabularies: { source: Tokenizer; target: Tokenizer } | undefined): Promise<tf.io.ModelArtifacts> {
  const named = [...weights.variables].map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const topology: Seq2SeqTopology = {
    format: SEQ2SEQ_FORMAT,
    version: 1,
    config,
    vocabularies: vocabularies ? { source: vocabularies.source.toJSON(), target: vocabularies.target.toJSON() } : null,
  };
  return { modelTopology: topology as unknown as object, format: SEQ2SEQ_FORMAT, generatedBy: '@heed/models', weightSpecs: specs, weightData: data };
}

/** Checks the topology of loaded artifacts; errors name `where`. */
export function readTopology(artifacts: tf.io.ModelArtifacts, where: string): { config: Seq2SeqConfig; vocabularies: { source: Tokenizer; target: Tokenizer } | undefined } {
  const topology = artifacts.modelTopology as Partial<Seq2SeqTopology> | undefined;
  if (!topology || topology.format !== SEQ2SEQ_FORMAT || typeof topology.config !== 'object') {
    throw new Error(`Seq2Seq.load: ${where} is not a heed Seq2Seq model (modelTopology.format is ${JSON.stringify(topology?.format)}, expected ${SEQ2SEQ_FORMAT})`);
  }
  const vocabularies = topology.vocabularies
    ? { source: Tokenizer.fromJSON(topology.vocabularies.source), target: Tokenizer.fromJSON(topology.vocabularies.target) }
    : undefined;
  return { config: topology.config, vocabularies };
}

/**
 * Assigns loaded weights to the registry, checking names, shapes and dtypes; errors name `where`.
 * A loaded name found in `legacyNames` (files of earlier versions) is read under its new name.
 */
export function assignWeights(artifacts: tf.io.ModelArtifacts, weights: WeightRegistry, where: string, legacyNames: ReadonlyMap<string, string> = new Map()): void {
  if (!artifacts.weightSpecs || artifacts.weightData === undefined) throw new Error(`Seq2Seq.load: ${where} has no weights`);
  const data = tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
  const expectedBytes = artifacts.weightSpecs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
  if (data.byteLength !== expectedBytes) {
    throw new Error(`Seq2Seq.load: ${where}: weight data has ${data.byteLength} bytes but the manifest describes ${expectedBytes} (corrupted or mismatched weights file)`);
  }
  const decoded = tf.io.decodeWeights(data, artifacts.weightSpecs);
  const loaded: tf.NamedTensorMap = {};
  for (const [name, tensor] of Object.entries(decoded)) loaded[legacyNames.get(name) ?? name] = tensor;
  try {
    const missing = [...weights.variables.keys()].filter((name) => !(name in loaded));
    const extra = Object.keys(loaded).filter((name) => !weights.variables.has(name));
    if (missing.length || extra.length) {
      throw new Error(`Seq2Seq.load: ${where}: weights do not match the config (missing ${missing.join(', ') || 'none'}; unexpected ${extra.join(', ') || 'none'})`);
    }
    for (const [name, variable] of weights.variables) {
      const tensor = loaded[name]!;
      if (tensor.shape.join() !== variable.shape.join() || tensor.dtype !== variable.dtype) {
        throw new Error(`Seq2Seq.load: ${where}: weight ${name} has shape [${tensor.shape}] ${tensor.dtype} but the config expects [${variable.shape}] ${variable.dtype}`);
      }
    }
    for (const [name, variable] of weights.variables) variable.assign(loaded[name]!);
  } finally {
    tf.dispose(Object.values(loaded));
  }
}

/** A Seq2Seq model as a {@link HeedSavedModel}: config and vocabularies in `config.json`, the registry's weights by name. */
export async function seq2seqToSaved(config: Seq2SeqConfig, weights: WeightRegistry, vocabularies: { source: Tokenizer; target: Tokenizer } | undefined): Promise<HeedSavedModel> {
  const json = heedConfigJson(SEQ2SEQ_FAMILY, config, { vocabularies: vocabularies ? { source: vocabularies.source.toJSON(), target: vocabularies.target.toJSON() } : null });
  return { json, tensors: await readSlots(new Map([...weights.variables].map(([name, variable]) => [name, { read: () => variable }]))) };
}

/** The configuration and vocabularies of a saved Seq2Seq; errors name the file. */
export function seq2seqSavedConfig(saved: HeedSavedModel): { config: Seq2SeqConfig; vocabularies: { source: Tokenizer; target: Tokenizer } | undefined } {
  const file = saved.files?.config ?? 'the config';
  if (saved.json.family !== SEQ2SEQ_FAMILY) throw new Error(`Seq2Seq.load: ${file} holds a ${saved.json.family} model; expected a ${SEQ2SEQ_FAMILY} model`);
  const vocabularies = saved.json.vocabularies as { source: unknown; target: unknown } | null | undefined;
  if (vocabularies !== null && vocabularies !== undefined && (typeof vocabularies !== 'object' || !vocabularies.source || !vocabularies.target)) {
    throw new Error(`Seq2Seq.load: ${file}: vocabularies must be null or { source, target } tokenizer JSON`);
  }
  return {
    config: saved.json.config as unknown as Seq2SeqConfig,
    vocabularies: vocabularies ? { source: Tokenizer.fromJSON(vocabularies.source), target: Tokenizer.fromJSON(vocabularies.target) } : undefined,
  };
}
