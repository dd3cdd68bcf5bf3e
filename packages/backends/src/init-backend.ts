import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, BROWSER_ORDER, NODE_ORDER, type BackendName } from './backend-name';
import type { AdapterReport, BackendAttempt, BackendReport } from './backend-report';
import { isNode } from './environment/is-node';
import { installNodeWebGpu } from './environment/node-webgpu';
import { configureWasmPaths } from './environment/wasm-paths';
import { kernelOverridesReady, registerKernelOverrides, unregisterKernelOverrides } from './kernels/kernel-overrides';
import { simdKernelsInfo } from './kernels/wasm-simd/load-simd-kernels';
import { simdKernelOverrides } from './kernels/wasm-simd/register-simd-kernels';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Use exactly this backend; throws if it cannot start. Default: the best available. */
  backend?: BackendName;
  /** Register heed's measured-faster kernel overrides (default true). */
  fastKernels?: boolean;
  /** Where the wasm binaries live (a folder URL ending in `/`). Default: found automatically. */
  wasmPaths?: string;
  /**
   * Accept a software (CPU-emulated) WebGPU adapter when choosing automatically. Default false:
   * in Node, Mesa's llvmpipe runs matmul at ~1 GFLOP/s, twenty times slower than wasm.
   */
  allowSoftwareGpu?: boolean;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

/** @returns the backends heed tries on this platform, in order. */
export function candidateBackends(): readonly BackendName[] {
  return isNode() ? NODE_ORDER : BROWSER_ORDER;
}

async function readAdapter(): Promise<AdapterReport | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return undefined;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const report = {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
  };
  const isSoftware = Boolean(info.isFallbackAdapter) || SOFTWARE_ADAPTER.test(Object.values(report).join(' '));
  return { ...report, isSoftware };
}

/** Starts one backend; returns why not when it cannot. */
async function start(name: BackendName, options: InitBackendOptions): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    if (name === 'webgl' && isNode()) return { ok: false, reason: 'WebGL does not exist in Node' };
    if (name === 'wasm') await configureWasmPaths(options.wasmPaths);
    if (name === 'webgpu') {
      const gpu = await installNodeWebGpu();
      if (!gpu.ok) return { ok: false, reason: gpu.reason ?? 'WebGPU unavailable' };
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    if (!tf.findBackendFactory(name)) return { ok: false, reason: `no "${name}" backend is registered with tfjs` };
    const ok = await tf.setBackend(name);
    if (!ok) return { ok: false, reason: `tfjs could not initialize "${name}" (see the warning above)` };
    await tf.ready();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

async function report(
  name: BackendName,
  tried: BackendAttempt[],
  kernelOverrides: string[],
  adapter: AdapterReport | undefined,
): Promise<BackendReport> {
  const result: BackendReport = {
    name,
    isGpu: name === 'webgpu' || name === 'webgl',
    simd: name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false,
    threads: name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) && !isNode() : false,
    kernelOverrides,
    tried,
  };
  await kernelOverridesReady(name);
  const simdKernels = simdKernelOverrides(name).length > 0 ? simdKernelsInfo() : undefined;
  if (simdKernels) result.simdKernels = simdKernels;
  if (adapter) {
    result.adapter = adapter;
    result.isGpu = !adapter.isSoftware;
  }
  return result;
}

/**
 * Picks, initializes and activates the best tfjs backend available here and reports what it
 * found. Browsers try webgpu → webgl → wasm → cpu; Node tries webgpu (only with the optional
 * `webgpu` package and a hardware adapter) → wasm → cpu. WASM binaries are located automatically.
 * It returns once heed's fast kernels for that backend are registered and ready (on wasm: the
 * WebAssembly SIMD module compiled, its worker pool started), so callers never branch on the
 * backend or load kernels themselves; `report.simdKernels` says what loaded.
 *
 * @example
 * ```ts
 * import { initBackend } from '@heed/backends';
 * const report = await initBackend();            // best available
 * console.log(report.name, report.tried);
 * await initBackend({ backend: 'wasm' });        // force one; throws if it cannot start
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  if (options.backend !== undefined && !BACKEND_NAMES.includes(options.backend)) {
    throw new Error(
      `initBackend: options.backend must be one of ${BACKEND_NAMES.join(', ')}; got ${JSON.stringify(options.backend)}`,
    );
  }
  const candidates = options.backend ? [options.backend] : candidateBackends();
  const tried: BackendAttempt[] = [];
  for (const name of candidates) {
    const started = await start(name, options);
    // Read once: the software check and the report both need it.
    const adapter = started.ok && name === 'webgpu' ? await readAdapter() : undefined;
    if (adapter?.isSoftware && !options.backend && !options.allowSoftwareGpu) {
      tried.push({
        name,
        ok: false,
        reason: `software adapter (${adapter.device || adapter.description || adapter.vendor}) is slower than wasm; force it with { backend: 'webgpu' }`,
      });
      continue;
    }
    tried.push(started.ok ? { name, ok: true } : { name, ok: false, reason: started.reason });
    if (!started.ok) continue;
    if (options.fastKernels === false) unregisterKernelOverrides(name);
    const overrides = options.fastKernels === false ? [] : registerKernelOverrides(name);
    return report(name, tried, overrides, adapter);
  }
  if (options.backend) {
    const why = tried[0]?.reason ?? 'unknown reason';
    const available = await availableBackends();
    throw new Error(
      `initBackend: backend "${options.backend}" is unavailable: ${why}. Available here: ${available.join(', ') || 'none'}.`,
    );
  }
  throw new Error(`initBackend: no backend could start: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}

/**
 * Tries every candidate backend of this platform and reports which can start, leaving the
 * previously active backend active.
 */
export async function probeBackends(options: Pick<InitBackendOptions, 'wasmPaths'> = {}): Promise<BackendAttempt[]> {
  const active = (tf.engine() as unknown as { backendName: BackendName | null }).backendName;
  const results: BackendAttempt[] = [];
  for (const name of candidateBackends()) {
    const started = await start(name, options);
    results.push(started.ok ? { name, ok: true } : { name, ok: false, reason: started.reason });
  }
  if (active) await tf.setBackend(active);
  return results;
}

/** @returns the names of the backends that can start here. */
export async function availableBackends(): Promise<BackendName[]> {
  return (await probeBackends()).filter((attempt) => attempt.ok).map((attempt) => attempt.name);
}
