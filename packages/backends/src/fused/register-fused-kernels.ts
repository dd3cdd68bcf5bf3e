import { getKernel, registerGradient, registerKernel, unregisterKernel, type GradConfig, type KernelConfig } from '@tensorflow/tfjs';
import { loadSimdKernels } from '../kernels/wasm-simd/load-simd-kernels';

/** Options of {@link registerFusedKernels}. */
export interface RegisterFusedKernelsOptions {
  /** Start loading heed's WebAssembly SIMD module (default true; until it is loaded, wasm kernels run their JavaScript cores). */
  loadSimd?: boolean;
}

/** Kernel names whose gradient this module registered: each is registered once, never overridden. */
const gradientsRegistered = new Set<string>();

/**
 * The registration every fused op shares: registers each of `configs` whose (kernel, backend)
 * pair has no kernel yet, starts loading heed's WebAssembly SIMD module (unless
 * `options.loadSimd` is false), and registers each of `gradConfigs` once per kernel name (a
 * later {@link unregisterFusedKernels} leaves gradients registered). Idempotent.
 *
 * @example
 * ```ts
 * registerFusedKernels(FUSED_GELU_KERNEL_CONFIGS, [fusedGeluGradConfig]);
 * ```
 */
export function registerFusedKernels(configs: readonly KernelConfig[], gradConfigs: readonly GradConfig[], options: RegisterFusedKernelsOptions = {}): void {
  for (const config of configs) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
  if (options.loadSimd ?? true) void loadSimdKernels();
  for (const gradConfig of gradConfigs) {
    if (gradientsRegistered.has(gradConfig.kernelName)) continue;
    registerGradient(gradConfig);
    gradientsRegistered.add(gradConfig.kernelName);
  }
}

/**
 * Removes each of `configs` that is registered (their gradients stay registered), so the op
 * falls back to its composite reference until {@link registerFusedKernels} runs again.
 *
 * @example
 * ```ts
 * unregisterFusedKernels(FUSED_GELU_KERNEL_CONFIGS);
 * ```
 */
export function unregisterFusedKernels(configs: readonly KernelConfig[]): void {
  for (const config of configs) {
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
  }
}
