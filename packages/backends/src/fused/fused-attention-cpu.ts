import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { backwardKernelFunc, forwardKernelFunc, JS_CORES, type BackendIo } from './attention-kernel-funcs';
import { FusedAttention, FusedAttentionGrad } from './fused-attention-kernel';

interface CpuBackendLike {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** Reads and writes tensors of tfjs' cpu backend (plain typed arrays in JS memory). */
const CPU_IO: BackendIo = {
  read(backend, info) {
    const values = (backend as CpuBackendLike).data.get(info.dataId).values;
    return values instanceof Float32Array ? values : Float32Array.from(values);
  },
  write(backend, shape, values) {
    return (backend as CpuBackendLike).makeTensorInfo(shape, 'float32', values);
  },
};

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
