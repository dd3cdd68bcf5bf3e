import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds the e2e test page (e2e/page) into e2e/dist; e2e/global-setup.ts runs it once per test run. */
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  logLevel: 'error',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
