import * as tf from '@tensorflow/tfjs';
import type { TrainerState } from '../trainer/trainer-types';
import { corruptCheckpoint, shortText } from './checkpoint-manifest';

/**
 * The `format` field of heed checkpoints' model artifacts.
 *
 * @example
 * ```ts
 * const isCheckpoint = (await handler.load()).format === CHECKPOINT_FORMAT;
 * ```
 */
export const CHECKPOINT_FORMAT = 'heed-training-checkpoint';

/** Everything a checkpoint restores. Tensors are shared on encode and owned by the caller on decode. */
export interface CheckpointContents {
  /** Model weights by stable name, in model order. */
  modelWeights: tf.NamedTensorMap;
  /** Readable names of the model weights, for error messages. */
  displayNames: Record<string, string>;
  /** Optimizer slots by `<weight>/<slot>`. */
  optimizerSlots: tf.NamedTensorMap;
  /** Summed gradients not yet applied, by weight name (saved mid gradient-accumulation). Default: none. */
  accumulatedGradients?: tf.NamedTensorMap;
  /** Optimizer updates applied (its bias-correction count and the schedule's step). */
  optimizerUpdates: number;
  /** The optimizer's and schedule's settings, checked on resume. */
  optimizerConfig: Record<string, unknown>;
  scheduleConfig: Record<string, unknown>;
  /** Epoch, step and RNG state. */
  state: TrainerState;
}

interface CheckpointMetadata {
  version: 1;
  modelWeightNames: string[];
  displayNames: Record<string, string>;
  optimizerUpdates: number;
  optimizerConfig: Record<string, unknown>;
  scheduleConfig: Record<string, unknown>;
  /** Older checkpoints (all taken at epoch ends) lack the mid-epoch fields. */
  state: Pick<TrainerState, 'epoch' | 'step' | 'randomState'> & Partial<TrainerState>;
}

/**
 * Packs a checkpoint into `tf.io.ModelArtifacts` (weights as tfjs weight specs + one buffer), for
 * any `tf.io` handler. `Trainer.save` calls it; use it directly for custom storage.
 *
 * @example
 * ```ts
 * const artifacts = await encodeCheckpoint(contents);
 * await tf.io.getSaveHandlers('indexeddb://run')[0].save(artifacts);
 * ```
 */
export async function encodeCheckpoint(contents: CheckpointContents): Promise<tf.io.ModelArtifacts> {
  const named: tf.NamedTensorMap = {};
  for (const [name, tensor] of Object.entries(contents.modelWeights)) named[`model/${name}`] = tensor;
  for (const [name, tensor] of Object.entries(contents.optimizerSlots)) named[`optimizer/${name}`] = tensor;
  for (const [name, tensor] of Object.entries(contents.accumulatedGradients ?? {})) named[`accumulated/${name}`] = tensor;
  const { data, specs } = await tf.io.encodeWeights(named);
  const metadata: CheckpointMetadata = {
    version: 1,
    modelWeightNames: Object.keys(contents.modelWeights),
    displayNames: contents.displayNames,
    optimizerUpdates: contents.optimizerUpdates,
    optimizerConfig: contents.optimizerConfig,
    scheduleConfig: contents.scheduleConfig,
    state: contents.state,
  };
  return {
    format: CHECKPOINT_FORMAT,
    generatedBy: '@heed/training',
    modelTopology: {},
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { heedCheckpoint: metadata as unknown as Record<string, unknown> },
  };
}

/** Options of {@link decodeCheckpoint}. */
export interface DecodeCheckpointOptions {
  /** Where the artifacts came from, named in errors (`corrupt checkpoint at WHERE: ...`). */
  where?: string;
}

/**
 * Unpacks {@link encodeCheckpoint}'s artifacts; the returned tensors belong to the caller. Throws
 * `corrupt checkpoint at WHERE: ...` for artifacts in the heed format that cannot be what a save
 * wrote (a weight missing, weights that do not decode), and then no tensor is left behind.
 *
 * @example
 * ```ts
 * const contents = decodeCheckpoint(await fileCheckpoint('./ckpt').load!(), { where: './ckpt' });
 * console.log(contents.state); // { epoch, step, randomState }
 * tf.dispose([contents.modelWeights, contents.optimizerSlots, contents.accumulatedGradients ?? {}]);
 * ```
 */
export function decodeCheckpoint(artifacts: tf.io.ModelArtifacts, options: DecodeCheckpointOptions = {}): CheckpointContents {
  const { where } = options;
  if (artifacts.format !== CHECKPOINT_FORMAT) {
    throw new Error(`not a @heed/training checkpoint${where ? ` at ${where}` : ''}: format is ${shortText(artifacts.format)}, expected "${CHECKPOINT_FORMAT}"`);
  }
  const metadata = artifacts.userDefinedMetadata?.heedCheckpoint as CheckpointMetadata | undefined;
  if (typeof metadata !== 'object' || metadata === null) throw corruptCheckpoint(where, `its format is "${CHECKPOINT_FORMAT}" but userDefinedMetadata.heedCheckpoint is missing`);
  const names: unknown = metadata.modelWeightNames;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw corruptCheckpoint(where, `userDefinedMetadata.heedCheckpoint.modelWeightNames must be an array of strings; got ${shortText(names)}`);
  }
  const state: unknown = metadata.state;
  if (typeof state !== 'object' || state === null || !Number.isSafeInteger(metadata.state.epoch) || !Number.isSafeInteger(metadata.state.step)) {
    throw corruptCheckpoint(where, `userDefinedMetadata.heedCheckpoint.state must hold an integer epoch and step; got ${shortText(state)}`);
  }
  if (!artifacts.weightSpecs || !artifacts.weightData) throw corruptCheckpoint(where, 'it has no weights (weightSpecs/weightData missing)');
  const { weightSpecs, weightData } = artifacts;
  let tensors: tf.NamedTensorMap;
  try {
    // In tidy: a spec that fails half way leaves none of the tensors decoded before it.
    tensors = tf.tidy(() => tf.io.decodeWeights(weightData, weightSpecs));
  } catch (error) {
    throw corruptCheckpoint(where, `its weights do not decode (${(error as Error).message})`, error);
  }
  const modelWeights: tf.NamedTensorMap = {};
  const optimizerSlots: tf.NamedTensorMap = {};
  const accumulatedGradients: tf.NamedTensorMap = {};
  const missing = names.filter((name) => !tensors[`model/${name}`]);
  if (missing.length > 0) {
    tf.dispose(tensors);
    throw corruptCheckpoint(where, `model weight${missing.length > 1 ? 's' : ''} ${shortText(missing)} listed in its metadata ha${missing.length > 1 ? 've' : 's'} no weight spec`);
  }
  for (const name of names) modelWeights[name] = tensors[`model/${name}`]!;
  const kept = new Set(names.map((name) => `model/${name}`));
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name.startsWith('optimizer/')) optimizerSlots[name.slice('optimizer/'.length)] = tensor;
    else if (name.startsWith('accumulated/')) accumulatedGradients[name.slice('accumulated/'.length)] = tensor;
    else if (!kept.has(name)) tensor.dispose(); // belongs to nothing the checkpoint restores
  }
  return {
    modelWeights,
    displayNames: metadata.displayNames ?? {},
    optimizerSlots,
    accumulatedGradients,
    optimizerUpdates: metadata.optimizerUpdates,
    optimizerConfig: metadata.optimizerConfig ?? {},
    scheduleConfig: metadata.scheduleConfig ?? {},
    // Checkpoints written before mid-epoch saves existed were all taken at epoch boundaries.
    state: { batch: 0, epochRandomState: metadata.state.randomState, epochLossSum: 0, accumulatedBatches: 0, ...metadata.state },
  };
}
