import { overriddenKernels, registerTransposeFirstMatMul, unregisterTransposeFirstMatMul } from './transpose-first-matmul';
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
  wasm: [{ register: registerTransposeFirstMatMul, unregister: unregisterTransposeFirstMatMul, active: overriddenKernels }],
  webgpu: [{ register: registerWebGpuKernels, unregister: unregisterWebGpuKernels, active: activeWebGpuKernels }],
};

/**
 * Registers every fast-kernel override known for `backendName` (idempotent); returns the
 * kernels now overridden on it.
 */
export function registerKernelOverrides(backendName: string): string[] {
  const overrides = OVERRIDES[backendName] ?? [];
  for (const override of overrides) override.register(backendName);
  return overrides.flatMap((override) => override.active(backendName));
}

/** Restores the stock tfjs kernels of `backendName`. */
export function unregisterKernelOverrides(backendName: string): void {
  for (const override of OVERRIDES[backendName] ?? []) override.unregister(backendName);
}
