import type { SafetensorsEntry } from '../safetensors/parse-safetensors-header';
import { isIntegerDtype } from '../safetensors/safetensors-dtype';
import type { HfWeightLayout } from './hf-weight-layout';

/**
 * A checkpoint whose tensors do not fit the model: a base-model tensor missing, or a tensor of
 * the wrong shape. The message names every such tensor with the expected and actual shapes.
 */
export class HfWeightsError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'HfWeightsError';
  }
}

/** How a checkpoint's tensors map onto a model's (see {@link matchCheckpoint}). */
export interface CheckpointMatch {
  /** Model tensor name → checkpoint tensor name, for every tensor found. */
  readonly found: ReadonlyMap<string, string>;
  /** Head tensors the checkpoint lacks: initialise them fresh (and say so: {@link CheckpointMatch.warnings}). */
  readonly fresh: readonly string[];
  /** Checkpoint tensors the model does not use (another task's head, a pooler, unknown names). */
  readonly unused: readonly string[];
  /** Buffers and tied copies skipped on purpose (`position_ids`, `cls.predictions.decoder.weight`). */
  readonly ignored: readonly string[];
  /** What a user should be told, as `from_pretrained` warns. */
  readonly warnings: readonly string[];
}

const BUFFER = /(?:^|\.)embeddings\.(?:position_ids|token_type_ids)$/;
const list = (names: readonly string[]) => (names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length} in all)` : names.join(', '));

/**
 * Maps a checkpoint's tensors onto a model's layout as `from_pretrained` does: base-model tensors
 * are found with or without the base prefix (`bert.`, `roberta.`, `distilbert.`, `vit.`), integer
 * buffers and tied copies are ignored (a tied copy must still have its tensor's shape), a missing
 * task head is reported as freshly initialised with a warning, and tensors the model does not use
 * are listed. A missing base-model tensor or any shape mismatch is an {@link HfWeightsError} naming
 * each tensor with both shapes.
 *
 * @example
 * ```ts
 * const weights = await openCheckpointWeights(source);
 * const match = matchCheckpoint(hfWeightLayout(config, 'BertForSequenceClassification'), weights.names.map((name) => weights.entry(name)!));
 * for (const warning of match.warnings) console.warn(warning);
 * ```
 */
export function matchCheckpoint(layout: HfWeightLayout, entries: readonly SafetensorsEntry[], file = 'model.safetensors'): CheckpointMatch {
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const basePrefix = `${layout.basePrefix}.`;
  const prefixed = entries.some((entry) => entry.name.startsWith(basePrefix));
  const found = new Map<string, string>();
  const used = new Set<string>();
  const missingBase: string[] = [];
  const fresh: string[] = [];
  const mismatched: string[] = [];
  const shape = (dims: readonly number[]) => `[${dims.join(', ')}]`;
  for (const tensor of layout.tensors) {
    // The model's name without its own prefix, then as this checkpoint spells it.
    const bare = tensor.part === 'base' && layout.prefix ? tensor.name.slice(layout.prefix.length + 1) : tensor.name;
    const candidates = tensor.part === 'base' ? (prefixed ? [`${basePrefix}${bare}`, bare] : [bare, `${basePrefix}${bare}`]) : [tensor.name];
    const name = candidates.find((candidate) => byName.has(candidate));
    if (name === undefined) {
      // A missing pooler is initialised fresh, as from_pretrained does for an MLM checkpoint.
      (tensor.part === 'base' && !bare.startsWith('pooler.') ? missingBase : fresh).push(tensor.name);
      continue;
    }
    const actual = byName.get(name)!.shape;
    if (shape(actual) !== shape(tensor.shape)) mismatched.push(`${name}: expected ${shape(tensor.shape)}, got ${shape(actual)}`);
    found.set(tensor.name, name);
    used.add(name);
  }
  const ignored: string[] = [];
  for (const [tiedName, target] of Object.entries(layout.tied)) {
    const entry = byName.get(tiedName) ?? byName.get(tiedName.startsWith(basePrefix) ? tiedName.slice(basePrefix.length) : `${basePrefix}${tiedName}`);
    if (!entry) continue;
    const targetShape = layout.tensors.find((tensor) => tensor.name === target)?.shape;
    if (targetShape && shape(entry.shape) !== shape(targetShape)) mismatched.push(`${entry.name} (tied to ${target}): expected ${shape(targetShape)}, got ${shape(entry.shape)}`);
    used.add(entry.name);
    ignored.push(entry.name);
  }
  for (const entry of entries) {
    if (!used.has(entry.name) && (BUFFER.test(entry.name) || isIntegerDtype(entry.dtype) || layout.ignored?.some((pattern) => pattern.test(entry.name)))) {
      used.add(entry.name);
      ignored.push(entry.name);
    }
  }
  if (mismatched.length > 0) throw new HfWeightsError(file, `tensor shapes do not fit ${layout.architecture} (config.json and the weights disagree): ${list(mismatched)}`);
  if (missingBase.length > 0) throw new HfWeightsError(file, `${layout.architecture} needs tensors the checkpoint lacks: ${list(missingBase)}`);
  const unused = entries.map((entry) => entry.name).filter((name) => !used.has(name));
  const warnings: string[] = [];
  if (fresh.length > 0) {
    warnings.push(`Some weights of ${layout.architecture} were not in ${file} and are newly initialized: ${list(fresh)}. Train the model on a downstream task before using it for predictions.`);
  }
  if (unused.length > 0) warnings.push(`Some weights of ${file} were not used by ${layout.architecture}: ${list(unused)}.`);
  return { found, fresh, unused, ignored, warnings };
}
