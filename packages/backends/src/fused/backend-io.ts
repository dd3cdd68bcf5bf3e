import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/** How a kernel reads its inputs from, and writes its outputs to, one tfjs backend. */
export interface BackendIo {
  /** float32 values of `info` (may be a view: never write to it). */
  read(backend: unknown, info: TensorInfo): Float32Array;
  /** A new float32 tensor on the backend holding `values`. */
  write(backend: unknown, shape: number[], values: Float32Array): TensorInfo;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** Reads and writes tensors of tfjs' cpu backend (plain typed arrays in JS memory). */
export const CPU_IO: BackendIo = {
  read(backend, info) {
    const values = (backend as CpuBackendLike).data.get(info.dataId).values;
    return values instanceof Float32Array ? values : Float32Array.from(values);
  },
  write(backend, shape, values) {
    return (backend as CpuBackendLike).makeTensorInfo(shape, 'float32', values);
  },
};

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/**
 * Reads and writes tensors of tfjs' wasm backend. Reads are views into its heap, valid until the
 * next allocation there, so kernels read every input before writing any output.
 */
export const WASM_IO: BackendIo = {
  read(backend, info) {
    return (backend as WasmBackendLike).typedArrayFromHeap(info);
  },
  write(backend, shape, values) {
    const wasm = backend as WasmBackendLike;
    const output = wasm.makeOutput(shape, 'float32');
    wasm.typedArrayFromHeap(output).set(values);
    return output;
  },
};
