import { isNode } from './is-node';
import { importNodeOnly } from '../io/import-node-only';

/** What installing WebGPU in Node found. */
export interface NodeWebGpuResult {
  ok: boolean;
  /** Why WebGPU is unavailable, when `ok` is false. */
  reason?: string;
  /** The Dawn backend that gave an adapter ('default' = Dawn's own choice, e.g. Vulkan). */
  dawnBackend?: string;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

let installed: Promise<NodeWebGpuResult> | undefined;

/**
 * Makes `navigator.gpu` exist in Node through the optional `webgpu` npm package (Dawn), so that
 * `@tensorflow/tfjs-backend-webgpu` can run. Tries Dawn's default backend (Vulkan on GPU
 * machines) and then OpenGL ES in compatibility mode (Mesa, no GPU needed). Idempotent.
 */
export function installNodeWebGpu(): Promise<NodeWebGpuResult> {
  installed ??= install();
  return installed;
}

async function install(): Promise<NodeWebGpuResult> {
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (scope.navigator?.gpu) return { ok: true, dawnBackend: 'preinstalled' };
  if (!isNode()) return { ok: false, reason: 'navigator.gpu is missing: this browser does not expose WebGPU' };
  // Mesa's EGL needs a platform without a display server.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  let dawn: DawnModule;
  try {
    dawn = await importNodeOnly<DawnModule>('webgpu');
  } catch (error) {
    return {
      ok: false,
      reason: `the optional "webgpu" package is not installed or failed to load (npm i webgpu): ${(error as Error).message.split('\n')[0]}`,
    };
  }
  Object.assign(globalThis, dawn.globals);
  const attempts: Array<{ name: string; flags: string[]; options: GPURequestAdapterOptions }> = [
    { name: 'default', flags: [], options: {} },
    { name: 'opengles', flags: ['backend=opengles'], options: { featureLevel: 'compatibility' } as GPURequestAdapterOptions },
  ];
  const failures: string[] = [];
  for (const attempt of attempts) {
    try {
      const gpu = dawn.create(attempt.flags);
      const adapter = await gpu.requestAdapter(attempt.options);
      if (!adapter) {
        failures.push(`${attempt.name}: no adapter`);
        continue;
      }
      const navigatorGpu = {
        requestAdapter: (options: GPURequestAdapterOptions = {}) => gpu.requestAdapter({ ...options, ...attempt.options }),
        getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
        wgslLanguageFeatures: gpu.wgslLanguageFeatures,
      };
      if (scope.navigator) {
        Object.defineProperty(scope.navigator, 'gpu', { value: navigatorGpu, configurable: true });
      } else {
        Object.defineProperty(globalThis, 'navigator', { value: { gpu: navigatorGpu }, configurable: true, writable: true });
      }
      return { ok: true, dawnBackend: attempt.name };
    } catch (error) {
      failures.push(`${attempt.name}: ${(error as Error).message}`);
    }
  }
  return { ok: false, reason: `Dawn found no WebGPU adapter (${failures.join('; ')}); on Debian install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri` };
}
