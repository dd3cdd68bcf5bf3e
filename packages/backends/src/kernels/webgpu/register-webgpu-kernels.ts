import { getKernel, registerGradient, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { fusedAttentionGradConfig } from '../../fused/fused-attention-grad';
import { fusedAttentionGradWebGpuConfig, fusedAttentionWebGpuConfig } from './fused-attention-webgpu';

/** heed's WGSL kernels for tfjs' webgpu backend. */
export const WEBGPU_KERNEL_CONFIGS: readonly KernelConfig[] = [fusedAttentionWebGpuConfig, fusedAttentionGradWebGpuConfig];

/**
 * Registers heed's WGSL kernels (fused attention forward and backward) for the webgpu backend
 * and the fused attention gradient; idempotent. `initBackend({ backend: 'webgpu' })` calls it.
 * Returns the kernel names now registered. Other backend names register nothing.
 *
 * @example
 * ```ts
 * registerWebGpuKernels('webgpu'); // ['HeedFusedAttention', 'HeedFusedAttentionGrad']
 * ```
 */
export function registerWebGpuKernels(backendName = 'webgpu'): string[] {
  if (backendName !== 'webgpu') return [];
  for (const config of WEBGPU_KERNEL_CONFIGS) {
    if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  }
  registerGradient(fusedAttentionGradConfig);
  return activeWebGpuKernels(backendName);
}

/** Removes heed's WGSL kernels (fusedAttention then runs the composite path on webgpu). */
export function unregisterWebGpuKernels(backendName = 'webgpu'): void {
  if (backendName !== 'webgpu') return;
  for (const config of WEBGPU_KERNEL_CONFIGS) {
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
  }
}

/** @returns heed's WGSL kernels registered now for `backendName`. */
export function activeWebGpuKernels(backendName = 'webgpu'): string[] {
  return WEBGPU_KERNEL_CONFIGS.filter(
    (config) => config.backendName === backendName && getKernel(config.kernelName, config.backendName) !== undefined,
  ).map((config) => config.kernelName);
}
