import type { KernelConfig } from '@tensorflow/tfjs';
import { backwardKernelFunc, forwardKernelFunc, JS_CORES } from './attention-kernel-funcs';
import { CPU_IO } from './backend-io';
import { FusedAttention, FusedAttentionGrad } from './fused-attention-kernel';

/** Fused attention forward on the cpu backend (plain JavaScript core). */
export const fusedAttentionCpuConfig: KernelConfig = {
  kernelName: FusedAttention,
  backendName: 'cpu',
  kernelFunc: forwardKernelFunc(CPU_IO, () => JS_CORES),
};

/** Fused attention backward on the cpu backend (plain JavaScript core). */
export const fusedAttentionGradCpuConfig: KernelConfig = {
  kernelName: FusedAttentionGrad,
  backendName: 'cpu',
  kernelFunc: backwardKernelFunc(CPU_IO, () => JS_CORES),
};
