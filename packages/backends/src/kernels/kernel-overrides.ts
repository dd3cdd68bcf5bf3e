import { overriddenKernels, registerTransposeFirstMatMul, unregisterTransposeFirstMatMul } from './transpose-first-matmul';
import { registerSharedIdentity, sharedIdentityKernels, unregisterSharedIdentity } from './wasm-shared/shared-identity';
import { loadSimdKernels } from './wasm-simd/load-simd-kernels';
import { registerSimdKernels, simdKernelOverrides, unregisterSimdKernels } from './wasm-simd/register-simd-kernels';
import { activeWebGpuKernels, registerWebGpuKernels, unregisterWebGpuKernels } from './webgpu/register-webgpu-kernels';

interface KernelOverride {
  register(backend: string): string[];
  unregister(backend: string): void;
  /** The kernels this override currently replaces on a backend. */
  active(backend: string): string[];
  /** Resolves once the override's kernels run at full speed (e.g. its WebAssembly module is compiled). */
  ready?(backend: string): Promise<unknown>;
}

/**
 * Which fast-kernel overrides apply to which backend. Each is mathematically identical to the
 * kernel it replaces and was measured faster (BENCHMARKS.md). Backends not listed get none.
 */
const OVERRIDES: Record<string, KernelOverride[]> = {
  // Order matters: the SIMD GEMM wraps whatever BatchMatMul is registered when it registers.
  wasm: [
    { register: registerTransposeFirstMatMul, unregister: unregisterTransposeFirstMatMul, active: overriddenKernels },
    { register: registerSimdKernels, unregister: unregisterSimdKernels, active: simdKernelOverrides, ready: () => loadSimdKernels() },
    { register: registerSharedIdentity, unregister: unregisterSharedIdentity, active: sharedIdentityKernels },
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

/**
 * Resolves once every override registered on `backendName` is ready: on wasm, heed's WebAssembly
 * SIMD module is compiled (and its worker pool started), so the first kernel call already runs
 * it. `initBackend` awaits this; callers never need to load kernels themselves. A module that
 * cannot load leaves the JavaScript cores running (see `simdKernelsFailure`).
 *
 * @example
 * ```ts
 * registerKernelOverrides('wasm');
 * await kernelOverridesReady('wasm'); // simdKernelsInfo() is now defined, when the module loaded
 * ```
 */
export async function kernelOverridesReady(backendName: string): Promise<void> {
  const overrides = (OVERRIDES[backendName] ?? []).filter((override) => override.active(backendName).length > 0);
  await Promise.all(overrides.map((override) => override.ready?.(backendName)));
}
