import type { DataType, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { attentionSimdCores } from '../kernels/wasm-simd/attention-simd';
import { backwardKernelFunc, forwardKernelFunc, JS_CORES, type BackendIo } from './attention-kernel-funcs';
import { FusedAttention, FusedAttentionGrad } from './fused-attention-kernel';

interface WasmBackendLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/**
 * Reads and writes tensors of tfjs' wasm backend. Reads are views into its heap, valid until the
 * next allocation there, so kernels read every input before writing any output.
 */
const WASM_IO: BackendIo = {
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

/** heed's WebAssembly SIMD cores when they are loaded, else the JavaScript reference. */
const cores = () => attentionSimdCores() ?? JS_CORES;

/** Fused attention forward on the wasm backend. */
export const fusedAttentionWasmConfig: KernelConfig = {
  kernelName: FusedAttention,
  backendName: 'wasm',
  kernelFunc: forwardKernelFunc(WASM_IO, cores),
};

/** Fused attention backward on the wasm backend. */
export const fusedAttentionGradWasmConfig: KernelConfig = {
  kernelName: FusedAttentionGrad,
  backendName: 'wasm',
  kernelFunc: backwardKernelFunc(WASM_IO, cores),
};
