import { getKernel, type KernelConfig } from '@tensorflow/tfjs';
import type { LstmCores } from './lstm-sequence-cores';
import { cpuLstmCores, lstmSequenceCpuConfig, lstmSequenceGradCpuConfig } from './lstm-sequence-cpu';
import { lstmSequenceGradConfig } from './lstm-sequence-grad';
import { LstmSequence } from './lstm-sequence-kernel';
import { lstmSequenceGradWasmConfig, lstmSequenceWasmConfig, wasmLstmCores } from './lstm-sequence-wasm';
import { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels';

/** Every backend kernel of the fused LSTM sequence op. */
export const LSTM_SEQUENCE_KERNEL_CONFIGS: readonly KernelConfig[] = [lstmSequenceCpuConfig, lstmSequenceGradCpuConfig, lstmSequenceWasmConfig, lstmSequenceGradWasmConfig];

/** The cores each backend's kernels run, by backend name (what {@link lstmSequenceCores} reports). */
export const LSTM_SEQUENCE_CORES: Readonly<Record<string, (units: number) => LstmCores>> = { cpu: cpuLstmCores, wasm: wasmLstmCores };

/**
 * Registers the fused LSTM sequence kernels (cpu: JavaScript loops; wasm: heed's WebAssembly
 * SIMD loops once loaded) and their gradient with tfjs. Idempotent; {@link lstmSequence} calls it
 * on first use and `initBackend` on wasm.
 *
 * @example
 * ```ts
 * registerLstmSequence();
 * hasLstmSequenceKernel('cpu'); // true
 * ```
 */
export function registerLstmSequence(): void {
  // unchanged: this op does not start the SIMD module's load (initBackend does; until then its wasm kernels run the JavaScript loops)
  registerFusedKernels(LSTM_SEQUENCE_KERNEL_CONFIGS, [lstmSequenceGradConfig], { loadSimd: false });
}

/**
 * Removes the fused LSTM sequence kernels of every backend (the gradient stays registered);
 * {@link lstmSequence} then runs the composite reference.
 *
 * @example
 * ```ts
 * unregisterLstmSequence();
 * hasLstmSequenceKernel('wasm'); // false
 * ```
 */
export function unregisterLstmSequence(): void {
  unregisterFusedKernels(LSTM_SEQUENCE_KERNEL_CONFIGS);
}

/**
 * @returns whether `backendName` has a fused LSTM sequence kernel registered.
 *
 * @example
 * ```ts
 * registerLstmSequence();
 * hasLstmSequenceKernel('webgpu'); // false: the composite reference runs there
 * ```
 */
export function hasLstmSequenceKernel(backendName: string): boolean {
  return getKernel(LstmSequence, backendName) !== undefined;
}
