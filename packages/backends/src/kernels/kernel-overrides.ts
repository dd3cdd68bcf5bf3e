import { overriddenKernels, registerTransposeFirstMatMul, unregisterTransposeFirstMatMul } from './transpose-first-matmul';
import { registerSimdKernels, simdKernelOverrides, unregisterSimdKernels } from './wasm-simd/register-simd-kernels';
import { activeWebGpuKernels, registerWebGpuKernels, unregisterWebGpuKernels } from './webgpu/register-webgpu-kernels';

interface KernelOverride {
  register(backend: string): string[];
  unregister(backend: string): void;
  /** The kernels this override currently replaces on a backend. */
  active(backend: string): string[];
}

/**
 * Which fast-kernel overrides apply to which backend. Each is mathematically identical to the
 * kernel it replaces and was measured faster (BENCHMARKS.md). Backends not listed get none.
 */
const OVERRIDES: Record<string, KernelOverride[]> = {
  // Order matters: the SIMD GEMM wraps whatever BatchMatMul is registered when it registers.
  wasm: [
    { register: registerTransposeFirstMatMul, unregister: unregisterTransposeFirstMatMul, active: overriddenKernels },
    { register: registerSimdKernels, unregister: unregisterSimdKernels, active: simdKernelOverrides },
  ],
  webgpu: [{ register: registerWebGpuKernels, unregister: unregisterWebGpuKernels, active: activeWebGpuKernels }],
};

/**
 * Registers every fast-kernel override known for `backendName` (idempotent); returns the
 * kernels now overridden on it.
 */
export function registerKernelOverrides(backendName: string): string[] {
  const overrides = OVERRIDES[backendName] ?? [];
  for (const override of overrides) override.register(backendName);
  return [...new Set(overrides.flatMap((override) => override.active(backendName)))];
}

/** Restores the stock tfjs kernels of `backendName` (in reverse order of registration). */
export function unregisterKernelOverrides(backendName: string): void {
  for (const override of [...(OVERRIDES[backendName] ?? [])].reverse()) override.unregister(backendName);
}
