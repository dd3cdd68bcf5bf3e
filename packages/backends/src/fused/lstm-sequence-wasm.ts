import type { KernelConfig } from '@tensorflow/tfjs';
import { WASM_IO } from './backend-io';
import { JS_LSTM_CORES, simdLstmCores, type LstmCores } from './lstm-sequence-cores';
import { lstmBackwardKernelFunc, lstmForwardKernelFunc } from './lstm-sequence-kernel-funcs';
import { LstmSequence, LstmSequenceGrad } from './lstm-sequence-kernel';

/** The cores the wasm kernels run: heed's WebAssembly SIMD loops when loaded and units % 4 = 0, else the JavaScript ones. */
export const wasmLstmCores = (units: number): LstmCores => simdLstmCores(units) ?? JS_LSTM_CORES;

/** Fused LSTM sequence forward on the wasm backend. */
export const lstmSequenceWasmConfig: KernelConfig = {
  kernelName: LstmSequence,
  backendName: 'wasm',
  kernelFunc: lstmForwardKernelFunc(WASM_IO, wasmLstmCores),
};

/** Fused LSTM sequence backward on the wasm backend. */
export const lstmSequenceGradWasmConfig: KernelConfig = {
  kernelName: LstmSequenceGrad,
  backendName: 'wasm',
  kernelFunc: lstmBackwardKernelFunc(WASM_IO, wasmLstmCores),
};
