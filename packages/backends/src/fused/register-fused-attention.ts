import { getKernel, type KernelConfig } from '@tensorflow/tfjs';
import { fusedAttentionCpuConfig, fusedAttentionGradCpuConfig } from './fused-attention-cpu';
import { fusedAttentionGradConfig } from './fused-attention-grad';
import { FusedAttention } from './fused-attention-kernel';
import { fusedAttentionGradWasmConfig, fusedAttentionWasmConfig } from './fused-attention-wasm';
import { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels';

/** Every backend kernel of the fused attention op. */
export const FUSED_ATTENTION_KERNEL_CONFIGS: readonly KernelConfig[] = [
  fusedAttentionCpuConfig,
  fusedAttentionGradCpuConfig,
  fusedAttentionWasmConfig,
  fusedAttentionGradWasmConfig,
];

/**
 * Registers the fused attention kernels (cpu and wasm) and their gradient with tfjs, and starts
 * loading heed's WebAssembly SIMD cores (synchronous in Node; until loaded, the wasm kernels run
 * the JavaScript cores). Idempotent; {@link fusedAttention} calls it on first use.
 *
 * @example
 * ```ts
 * registerFusedAttention();
 * tf.engine().runKernel(FusedAttention, { query, key, value, mask }, { scale, causal, window });
 * ```
 */
export function registerFusedAttention(): void {
  registerFusedKernels(FUSED_ATTENTION_KERNEL_CONFIGS, [fusedAttentionGradConfig]);
}

/**
 * Removes the fused attention kernels of every backend (the gradient stays registered); the op
 * then runs the composite reference.
 *
 * @example
 * ```ts
 * unregisterFusedAttention();
 * hasFusedAttentionKernel('wasm'); // false
 * ```
 */
export function unregisterFusedAttention(): void {
  unregisterFusedKernels(FUSED_ATTENTION_KERNEL_CONFIGS);
}

/**
 * @returns whether `backendName` has a fused attention kernel registered.
 *
 * @example
 * ```ts
 * registerFusedAttention();
 * hasFusedAttentionKernel('cpu'); // true
 * ```
 */
export function hasFusedAttentionKernel(backendName: string): boolean {
  return getKernel(FusedAttention, backendName) !== undefined;
}
