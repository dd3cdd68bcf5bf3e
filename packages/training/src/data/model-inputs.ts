import * as tf from '@tensorflow/tfjs';

/**
 * What a model's forward pass takes: one tensor `(batch, ...)`, or named tensors that share the
 * batch axis, as a Hugging Face model's `{ input_ids, attention_mask, token_type_ids }`.
 *
 * @example
 * ```ts
 * const inputs: ModelInputs = { input_ids: tf.tensor2d([[101, 7592, 102]], undefined, 'int32'), attention_mask: tf.ones([1, 3], 'int32') };
 * ```
 */
export type ModelInputs = tf.Tensor | tf.NamedTensorMap;

/** @internal Applies `map` to the tensor or to every named tensor, keeping the names. */
export function mapInputs<T extends ModelInputs>(inputs: T, map: (tensor: tf.Tensor, name?: string) => tf.Tensor): T {
  if (inputs instanceof tf.Tensor) return map(inputs) as T;
  return Object.fromEntries(Object.entries(inputs).map(([name, tensor]) => [name, map(tensor, name)])) as T;
}

/** @internal The tensors of `inputs`, with their names (`x` for a single tensor). */
export function inputEntries(inputs: ModelInputs, single = 'x'): [string, tf.Tensor][] {
  return inputs instanceof tf.Tensor ? [[single, inputs]] : Object.entries(inputs);
}

/** @internal The size of the examples axis (the first tensor's first axis). */
export function countExamples(inputs: ModelInputs): number {
  return inputEntries(inputs)[0]?.[1].shape[0] ?? 0;
}

/** @internal Describes `inputs`' shapes for error messages: `[4,2]` or `{ input_ids [4,8], attention_mask [4,8] }`. */
export function describeInputs(inputs: ModelInputs): string {
  if (inputs instanceof tf.Tensor) return `[${inputs.shape}]`;
  return `{ ${Object.entries(inputs)
    .map(([name, tensor]) => `${name} [${tensor.shape}]`)
    .join(', ')} }`;
}

/**
 * @internal Throws unless every named tensor has the same, non-zero-rank examples axis; returns
 * the examples. `what` names the inputs (`"x"`, `"xs in batch 2 of epoch 0"`).
 */
export function checkInputsAgree(inputs: ModelInputs, what: string): number {
  const entries = inputEntries(inputs, what);
  if (entries.length === 0) throw new RangeError(`${what} has no named tensors: pass at least one`);
  for (const [name, tensor] of entries) {
    if (!(tensor instanceof tf.Tensor)) throw new TypeError(`${what}: "${name}" must be a tf.Tensor, got ${typeof tensor}`);
    if (tensor.rank === 0) throw new RangeError(`${what}: "${name}" needs an examples axis, got shape []`);
  }
  const examples = entries[0]![1].shape[0]!;
  const other = entries.find(([, tensor]) => tensor.shape[0] !== examples);
  if (other) throw new RangeError(`${what}: the named tensors disagree on the examples axis: ${describeInputs(inputs)}`);
  return examples;
}

/**
 * @internal Makes tensors of in-memory inputs (recording the ones it made in `owned`): named
 * arrays of integers (token ids, masks) become int32 tensors, other arrays float32.
 */
export function toInputTensors(value: tf.Tensor | tf.TensorLike | Readonly<Record<string, tf.Tensor | tf.TensorLike>>, owned: tf.Tensor[]): ModelInputs {
  const make = (item: tf.Tensor | tf.TensorLike, named: boolean) => {
    if (item instanceof tf.Tensor) return item;
    const tensor = named && allIntegers(item) ? tf.tensor(item as number[], undefined, 'int32') : tf.tensor(item as number[]);
    owned.push(tensor);
    return tensor;
  };
  if (value instanceof tf.Tensor || Array.isArray(value) || ArrayBuffer.isView(value) || typeof value !== 'object') return make(value as tf.TensorLike, false);
  return Object.fromEntries(Object.entries(value as Record<string, tf.Tensor | tf.TensorLike>).map(([name, item]) => [name, make(item, true)]));
}

function allIntegers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  if (Array.isArray(value)) return value.every(allIntegers);
  if (value instanceof Int32Array || value instanceof Uint8Array) return true;
  return false;
}
