import { defineConfig } from 'vite';
import { shippedWeights } from './build/shipped-weights';

/** Cross-origin isolation, so SharedArrayBuffer (multi-threaded wasm) is available. */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  // Relative asset URLs: the built site works from any folder (a static host, file server, subpath).
  base: './',
  // @heed/models' shipped weights at weights/<name>/ (served in dev, copied into dist/), loaded lazily by the pages.
  plugins: [shippedWeights()],
  // Skipping gzip size reporting saves seconds of every build (the e2e tests build once per run).
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION, host: '127.0.0.1', port: 4173 },
});
