import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs' wasm and cpu backends (4.x) that hold a tensor's values in memory. */
interface MemoryBackend {
  refCount?(dataId: object): number;
  /** wasm: the tensor's values as a view of the wasm heap. */
  typedArrayFromHeap?(tensor: { shape: number[]; dtype: string; dataId: object }): unknown;
  dataIdMap?: { has(dataId: object): boolean };
  /** cpu: the tensor's values as a plain typed array. */
  data?: { has(dataId: object): boolean; get(dataId: object): { values?: unknown } };
}

/**
 * The memory that holds a float32 variable's values, to write a loaded tensor straight into it
 * (no second tensor, no `assign`): on the wasm backend a view of the wasm heap, on the cpu
 * backend the variable's own `Float32Array`. The returned function gives a fresh view on each
 * call (a wasm heap view goes stale when the heap grows: take one per write, never across an
 * `await`). Undefined on other backends (WebGL/WebGPU keep values on the GPU), when the variable
 * lives on another backend than the current one, or when its data is shared with another tensor
 * (then an in-place write would change that tensor too): callers fall back to `variable.assign`.
 * @internal
 *
 * @example
 * ```ts
 * const storage = variableStorage(variable);
 * if (storage) storage().set(values, start); // writes elements start… of the variable
 * else variable.assign(tf.tensor(all, variable.shape));
 * ```
 */
export function variableStorage(variable: tf.Variable): (() => Float32Array) | undefined {
  if (variable.dtype !== 'float32' || variable.isDisposed) return undefined;
  const backend = tf.backend() as unknown as MemoryBackend;
  const { dataId } = variable;
  if (typeof backend.refCount !== 'function' || backend.refCount(dataId) !== 1) return undefined;
  if (typeof backend.typedArrayFromHeap === 'function' && backend.dataIdMap?.has(dataId)) {
    const view = () => backend.typedArrayFromHeap!({ shape: variable.shape, dtype: 'float32', dataId }) as Float32Array;
    return view() instanceof Float32Array && view().length === variable.size ? view : undefined;
  }
  if (backend.data && typeof backend.data.has === 'function' && backend.data.has(dataId)) {
    const values = backend.data.get(dataId).values;
    return values instanceof Float32Array && values.length === variable.size ? () => values : undefined;
  }
  return undefined;
}
