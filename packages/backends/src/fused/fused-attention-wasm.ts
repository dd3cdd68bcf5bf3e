import type { KernelConfig } from '@tensorflow/tfjs';
import { attentionSimdCores } from '../kernels/wasm-simd/attention-simd';
import { backwardKernelFunc, forwardKernelFunc, JS_CORES } from './attention-kernel-funcs';
import { WASM_IO } from './backend-io';
import { FusedAttention, FusedAttentionGrad } from './fused-attention-kernel';

/**
 * heed's WebAssembly SIMD cores when they are loaded, else the JavaScript reference. The SIMD
 * results are views into the module's memory: the kernel functions write them into the output
 * tensors before any other SIMD call.
 */
const cores = () => attentionSimdCores({ views: true }) ?? JS_CORES;

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
