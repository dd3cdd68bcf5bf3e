import { registerFusedAttention } from '../../fused/register-fused-attention';
import { registerLstmSequence } from '../../fused/register-lstm-sequence';
import { loadSimdKernels } from './load-simd-kernels';
import { leadingAxesSumKernels, registerLeadingAxesSum, unregisterLeadingAxesSum } from './leading-axes-sum';
import { registerSimdMatMul, simdMatMulKernels, unregisterSimdMatMul } from './simd-matmul-kernels';
import { fastTransposeKernels, registerFastTranspose, unregisterFastTranspose } from './simd-transpose';

/**
 * Registers heed's fast kernel overrides of the wasm backend that live next to its WebAssembly
 * SIMD module (Transpose; BatchMatMul and _FusedMatMul on a packed GEMM; Sum over leading axes), registers the fused
 * attention and LSTM sequence kernels and starts loading the SIMD module (synchronous in Node). Idempotent; returns the tfjs kernels it overrides. Meant as
 * an entry of the kernel-override registry that initBackend applies.
 *
 * @example
 * ```ts
 * await initBackend({ backend: 'wasm' });
 * registerSimdKernels('wasm'); // ['Transpose', 'BatchMatMul', '_FusedMatMul', 'Sum']
 * ```
 */
export function registerSimdKernels(backendName: string): string[] {
  if (backendName !== 'wasm') return [];
  registerFusedAttention();
  registerLstmSequence();
  void loadSimdKernels();
  registerFastTranspose(backendName);
  registerSimdMatMul(backendName);
  registerLeadingAxesSum(backendName);
  return simdKernelOverrides(backendName);
}

/**
 * Restores the tfjs kernels that {@link registerSimdKernels} replaced on `backendName`.
 *
 * @example
 * ```ts
 * unregisterSimdKernels('wasm');
 * ```
 */
export function unregisterSimdKernels(backendName: string): void {
  unregisterLeadingAxesSum(backendName);
  unregisterSimdMatMul(backendName);
  unregisterFastTranspose(backendName);
}

/**
 * @returns the tfjs kernels currently overridden by {@link registerSimdKernels} on `backendName`.
 *
 * @example
 * ```ts
 * simdKernelOverrides('wasm'); // ['Transpose', 'BatchMatMul', '_FusedMatMul', 'Sum'] after registerSimdKernels('wasm')
 * ```
 */
export function simdKernelOverrides(backendName: string): string[] {
  return [...fastTransposeKernels(backendName), ...simdMatMulKernels(backendName), ...leadingAxesSumKernels(backendName)];
}
