import * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from '../data/model-inputs';

/** A tensor as plain data, for a message to another process (structured clone). */
export interface TensorData {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tf.DataType;
}

/** {@link ModelInputs} as plain data: one tensor, or named tensors. */
export type InputsData = TensorData | Record<string, TensorData>;

/**
 * Rows `replica`, `replica + replicas`, … of a tensor `(batch, ...)` (so each shard of a
 * length-bucketed batch gets the same mix of lengths); `undefined` when the shard has no rows.
 * The caller disposes the result.
 *
 * @example
 * ```ts
 * shardRows(tf.tensor1d([1, 2, 3, 4, 5]), 1, 2); // [2, 4]
 * ```
 */
export function shardRows(tensor: tf.Tensor, replica: number, replicas: number): tf.Tensor | undefined {
  const rows = tensor.shape[0]!;
  const indices: number[] = [];
  for (let row = replica; row < rows; row += replicas) indices.push(row);
  if (indices.length === 0) return undefined;
  if (replicas === 1) return tensor.clone();
  return tf.tidy(() => tf.gather(tensor, tf.tensor1d(indices, 'int32')));
}

/** @internal {@link shardRows} of every named input (all share the batch axis). */
export function shardInputs(inputs: ModelInputs, replica: number, replicas: number): ModelInputs | undefined {
  if (inputs instanceof tf.Tensor) return shardRows(inputs, replica, replicas);
  const entries = Object.entries(inputs).map(([name, tensor]) => [name, shardRows(tensor, replica, replicas)] as const);
  if (entries.some(([, tensor]) => tensor === undefined)) {
    tf.dispose(entries.map(([, tensor]) => tensor).filter((tensor): tensor is tf.Tensor => tensor !== undefined));
    return undefined;
  }
  return Object.fromEntries(entries) as tf.NamedTensorMap;
}

/** @internal Reads a tensor out of the backend as plain data. */
export async function toTensorData(tensor: tf.Tensor): Promise<TensorData> {
  return { values: (await tensor.data()) as TensorData['values'], shape: [...tensor.shape], dtype: tensor.dtype };
}

/** @internal {@link toTensorData} of one tensor or every named one. */
export async function toInputsData(inputs: ModelInputs): Promise<InputsData> {
  if (inputs instanceof tf.Tensor) return toTensorData(inputs);
  const entries = await Promise.all(Object.entries(inputs).map(async ([name, tensor]) => [name, await toTensorData(tensor)] as const));
  return Object.fromEntries(entries);
}

function isTensorData(data: InputsData): data is TensorData {
  return ArrayBuffer.isView((data as TensorData).values) && Array.isArray((data as TensorData).shape);
}

/** @internal Plain data back to a tensor (the caller disposes it). */
export function fromTensorData(data: TensorData): tf.Tensor {
  return tf.tensor(data.values, data.shape, data.dtype);
}

/** @internal Plain data back to tensors (the caller disposes them). */
export function fromInputsData(data: InputsData): ModelInputs {
  if (isTensorData(data)) return fromTensorData(data);
  return Object.fromEntries(Object.entries(data).map(([name, item]) => [name, fromTensorData(item)]));
}
