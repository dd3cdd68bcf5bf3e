// Copies tfjs-backend-wasm's binaries into dist/wasm/ so browser bundlers find them next to
// dist/index.js (see src/environment/wasm-paths.ts).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const source = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
const target = new URL('../dist/wasm/', import.meta.url).pathname;
mkdirSync(target, { recursive: true });
for (const file of readdirSync(source).filter((name) => name.endsWith('.wasm'))) {
  copyFileSync(join(source, file), join(target, file));
}
