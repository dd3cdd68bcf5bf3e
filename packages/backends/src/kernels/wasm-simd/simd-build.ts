/** The two builds of heed's WebAssembly kernels: plain SIMD, or relaxed SIMD (fused multiply-add). */
export type SimdBuild = 'plain' | 'relaxed';

/**
 * The smallest module that uses relaxed SIMD: one function returning f32x4.relaxed_madd of its
 * three v128 parameters. Engines without relaxed SIMD (Safari, Node 20 without
 * --experimental-wasm-relaxed-simd) reject it.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) → v128
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // local.get 0..2, f32x4.relaxed_madd
]);

/**
 * @returns whether this engine accepts WebAssembly relaxed SIMD (`WebAssembly.validate` of a
 * module with `f32x4.relaxed_madd`). True in Chrome 114+, Firefox 145+, Node 21+, and Node 20
 * started with `--experimental-wasm-relaxed-simd` (e.g. `NODE_OPTIONS=--experimental-wasm-relaxed-simd`).
 *
 * @example
 * ```ts
 * import { relaxedSimdSupported } from '@heed/backends';
 * console.log(relaxedSimdSupported() ? 'FMA kernels' : 'plain SIMD kernels');
 * ```
 */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly !== 'undefined' && WebAssembly.validate(RELAXED_PROBE);
}

/** The build to load and, where it is not the best one, why. */
export interface SimdBuildChoice {
  build: SimdBuild;
  /** Why the plain build runs (relaxed SIMD unsupported, or asked for); absent for relaxed. */
  reason?: string;
}

/**
 * Chooses the kernel build: `requested` ('plain', 'relaxed' or 'auto'; in Node the default is
 * HEED_SIMD_BUILD, else 'auto'). 'auto' and 'relaxed' load the relaxed build where the engine
 * validates it, else the plain one (with the reason).
 */
export function chooseSimdBuild(requested?: SimdBuild | 'auto'): SimdBuildChoice {
  const fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.HEED_SIMD_BUILD;
  const wanted = requested ?? (fromEnv === undefined || fromEnv === '' ? 'auto' : fromEnv);
  if (wanted !== 'auto' && wanted !== 'plain' && wanted !== 'relaxed') {
    throw new Error(`SIMD build must be "auto", "plain" or "relaxed" (option build or HEED_SIMD_BUILD); got ${JSON.stringify(String(wanted).slice(0, 40))}`);
  }
  if (wanted === 'plain') return { build: 'plain', reason: 'the plain build was asked for' };
  if (relaxedSimdSupported()) return { build: 'relaxed' };
  const node = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  const hint = node ? ' (Node 20: set NODE_OPTIONS=--experimental-wasm-relaxed-simd)' : '';
  return { build: 'plain', reason: `this engine rejects WebAssembly relaxed SIMD${hint}` };
}
