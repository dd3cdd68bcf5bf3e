import { BROWSER_ORDER, initBackend, isBackendName, type BackendName, type BackendReport } from '@heed/backends';

/** The backend the page runs on, and what the user should know about how it was chosen. */
export interface StartedBackend {
  report: BackendReport;
  /** The backend asked for with `?backend=`, if any. */
  preferred?: BackendName;
  /** Notices to show: a preferred backend that could not start, WebGPU skipped, … */
  notices: string[];
}

/** `?backend=wasm` asks for a backend; anything else (or nothing) lets heed choose. */
export function preferredBackend(search = location.search): BackendName | undefined {
  const requested = new URLSearchParams(search).get('backend');
  return requested !== null && isBackendName(requested) ? requested : undefined;
}

/**
 * Starts the preferred backend, falling back to heed's automatic choice (webgpu → webgl → wasm →
 * cpu) when it cannot start. Never throws for a missing backend: the fallback always ends at cpu.
 */
export async function startBackend(preferred = preferredBackend()): Promise<StartedBackend> {
  const notices: string[] = [];
  if (preferred !== undefined) {
    try {
      return { report: await initBackend({ backend: preferred }), preferred, notices };
    } catch (error) {
      const report = await initBackend();
      notices.push(`${preferred} is not available in this browser (${(error as Error).message}); fell back to ${report.name}.`);
      return { report, preferred, notices };
    }
  }
  const report = await initBackend();
  const webgpu = report.tried.find((attempt) => attempt.name === 'webgpu');
  if (webgpu && !webgpu.ok) notices.push(`WebGPU was not used: ${webgpu.reason ?? 'unavailable'}. Running on ${report.name}.`);
  return { report, notices };
}

/** Notices about browser features the pages use, for this browser. */
export function featureNotices(report: BackendReport): string[] {
  const notices: string[] = [];
  if (typeof SharedArrayBuffer === 'undefined' || !globalThis.crossOriginIsolated) {
    notices.push('SharedArrayBuffer is unavailable (the page is not cross-origin isolated): the wasm backend runs single-threaded.');
  }
  if (!('gpu' in navigator)) notices.push('This browser has no WebGPU (navigator.gpu); the webgpu backend cannot start here.');
  if (typeof indexedDB === 'undefined') notices.push('IndexedDB is unavailable: trained models cannot be saved in this browser.');
  if (report.name === 'cpu') notices.push('Running on the plain JavaScript cpu backend: everything works, slowly.');
  return notices;
}

/** Every backend name the switcher offers, in heed's browser order. */
export const SWITCHER_BACKENDS: readonly BackendName[] = BROWSER_ORDER;
