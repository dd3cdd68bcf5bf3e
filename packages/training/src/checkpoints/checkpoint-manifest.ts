import type * as tf from '@tensorflow/tfjs';

/** @internal The name of the manifest a {@link fileCheckpoint} commits each save to. */
export const MANIFEST = 'checkpoint.json';

/** @internal Names a save generates: the only files it ever deletes (after a newer save committed). */
export const OWN_WEIGHTS_FILE = /^weights-[0-9a-z]+-[0-9a-z]+\.bin$/;

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** @internal Cuts a value's text to `limit` characters for an error message. */
export function shortText(value: unknown, limit = 80): string {
  let text: string;
  try {
    text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}

/** @internal Thrown for a checkpoint that exists but cannot be what a save wrote. */
export function corruptCheckpoint(where: string | undefined, problem: string, cause?: unknown): Error {
  return new Error(`corrupt checkpoint${where ? ` at ${where}` : ''}: ${problem}`, cause === undefined ? undefined : { cause });
}

/** @internal True for a plain file name inside the directory (no separators, not `.` or `..`). */
export function isPlainFileName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** A parsed `checkpoint.json`: tfjs model artifacts without the weight data, plus the weights file's name. */
export type CheckpointManifest = Omit<tf.io.ModelArtifacts, 'weightData'> & { weightsFile: string };

/**
 * @internal Parses and checks a manifest's text: JSON, an object, a weights file inside the
 * directory, and weight specs with names, non-negative integer shapes and known dtypes. Returns
 * the manifest and the byte length its specs need (undefined when a string weight makes it
 * variable).
 */
export function parseManifest(text: string, where: string): { manifest: CheckpointManifest; expectedBytes: number | undefined } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corruptCheckpoint(where, `${MANIFEST} is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corruptCheckpoint(where, `${MANIFEST} is not a JSON object; got ${shortText(parsed)}`);
  const manifest = parsed as CheckpointManifest;
  if (!isPlainFileName(manifest.weightsFile)) {
    throw corruptCheckpoint(where, `${MANIFEST}'s weightsFile must name a file inside the checkpoint directory; got ${shortText(manifest.weightsFile)}`);
  }
  const specs: unknown = manifest.weightSpecs ?? [];
  if (!Array.isArray(specs)) throw corruptCheckpoint(where, `${MANIFEST}'s weightSpecs must be an array; got ${shortText(specs)}`);
  let expectedBytes: number | undefined = 0;
  specs.forEach((spec: Partial<tf.io.WeightsManifestEntry>, index) => {
    const at = `weightSpecs[${index}]`;
    if (typeof spec !== 'object' || spec === null) throw corruptCheckpoint(where, `${at} must be an object; got ${shortText(spec)}`);
    if (typeof spec.name !== 'string') throw corruptCheckpoint(where, `${at}.name must be a string; got ${shortText(spec.name)}`);
    const { shape } = spec;
    if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
      throw corruptCheckpoint(where, `${at}.shape (${spec.name}) must be an array of non-negative integers; got ${shortText(shape)}`);
    }
    const quantized = spec.quantization?.dtype;
    const bytes = quantized === undefined ? DTYPE_BYTES[spec.dtype as string] : QUANTIZED_BYTES[quantized];
    if (spec.dtype === 'string' && quantized === undefined) expectedBytes = undefined;
    else if (bytes === undefined) throw corruptCheckpoint(where, `${at}.dtype (${spec.name}) is not a tfjs weight dtype; got ${shortText(quantized ?? spec.dtype)}`);
    else if (expectedBytes !== undefined) expectedBytes += bytes * shape.reduce((product: number, size: number) => product * size, 1);
  });
  return { manifest, expectedBytes };
}
