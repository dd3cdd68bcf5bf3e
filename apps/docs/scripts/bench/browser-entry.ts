// Bundled by bench-backends.ts (Vite) into a page that headless Chromium opens; the runner calls
// `window.heedBench(backend)` once per fresh page.
import type { BackendName } from '@heed/backends';
import { runBackend, type BackendRun } from './backend-ops';

declare global {
  interface Window {
    heedBench: (backend: BackendName, budgetMs?: number) => Promise<BackendRun>;
  }
}

window.heedBench = (backend, budgetMs?: number) => runBackend(backend, new URL('/weights/g2p/config.json', location.href).href, { budgetMs });
