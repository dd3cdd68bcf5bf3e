import type { KernelConfig } from '@tensorflow/tfjs';
import { CPU_IO } from './backend-io';
import { JS_LSTM_CORES, type LstmCores } from './lstm-sequence-cores';
import { lstmBackwardKernelFunc, lstmForwardKernelFunc } from './lstm-sequence-kernel-funcs';
import { LstmSequence, LstmSequenceGrad } from './lstm-sequence-kernel';

/** The cores the cpu kernels run: the scalar JavaScript loops. */
export const cpuLstmCores = (): LstmCores => JS_LSTM_CORES;

/** Fused LSTM sequence forward on the cpu backend. */
export const lstmSequenceCpuConfig: KernelConfig = {
  kernelName: LstmSequence,
  backendName: 'cpu',
  kernelFunc: lstmForwardKernelFunc(CPU_IO, cpuLstmCores),
};

/** Fused LSTM sequence backward on the cpu backend. */
export const lstmSequenceGradCpuConfig: KernelConfig = {
  kernelName: LstmSequenceGrad,
  backendName: 'cpu',
  kernelFunc: lstmBackwardKernelFunc(CPU_IO, cpuLstmCores),
};
