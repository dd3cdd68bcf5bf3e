/** Backends heed knows how to select and initialize. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Every backend heed knows, fastest first. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Backends heed tries in browsers, in order. */
export const BROWSER_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Backends heed tries in Node, in order (webgl does not exist in Node). */
export const NODE_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** @returns true where `value` names a backend heed supports. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}
