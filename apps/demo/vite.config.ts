import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs: the built site works from any folder (a static host, file server, subpath).
  base: './',
  // Skipping gzip size reporting saves seconds of every build (the e2e tests build once per run).
  build: { target: 'es2022', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
});
