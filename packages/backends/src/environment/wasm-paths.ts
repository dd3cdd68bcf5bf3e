import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as NodeModule from 'node:module';
import type * as NodePath from 'node:path';
import { isNode } from './is-node';
import { importNodeOnly } from '../io/import-node-only';

let configured = false;

/**
 * Points tfjs-backend-wasm at its `.wasm` binaries so users never call `setWasmPaths`.
 *
 * - Node: resolves `@tensorflow/tfjs-backend-wasm/dist/` from this package's own dependencies.
 * - Browsers: the build copies the binaries next to this module (`dist/wasm/`); bundlers such as
 *   Vite emit them as assets through `new URL('./wasm/…', import.meta.url)`.
 *
 * An explicit `prefix` (a folder URL ending in `/`) overrides both.
 */
export async function configureWasmPaths(prefix?: string): Promise<void> {
  if (prefix !== undefined) {
    setWasmPaths(prefix);
    configured = true;
    return;
  }
  if (configured) return;
  if (isNode()) {
    const { createRequire } = await importNodeOnly<typeof NodeModule>('node:module');
    const { dirname, join } = await importNodeOnly<typeof NodePath>('node:path');
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
    // entry is .../tfjs-backend-wasm/dist/<bundle>.js; the binaries sit in the same folder.
    setWasmPaths(join(dirname(entry), '/'));
  } else {
    // Literal URLs, one per binary, so bundlers can see and emit each asset.
    setWasmPaths({
      'tfjs-backend-wasm.wasm': new URL('./wasm/tfjs-backend-wasm.wasm', import.meta.url).href,
      'tfjs-backend-wasm-simd.wasm': new URL('./wasm/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
      'tfjs-backend-wasm-threaded-simd.wasm': new URL('./wasm/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url)
        .href,
    });
  }
  configured = true;
}
