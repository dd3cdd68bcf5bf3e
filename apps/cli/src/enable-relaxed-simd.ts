// Imported first by the heed CLI's entry points, before anything compiles WebAssembly: Node 20
// validates relaxed SIMD (heed's fused multiply-add kernels) only behind a V8 flag, which
// NODE_OPTIONS does not accept, so the CLI turns it on for its own process. V8 flags are
// per process: worker threads share it; forked processes import this module themselves.
import { setFlagsFromString } from 'node:v8';

/** Node majors that ship relaxed SIMD behind `--experimental-wasm-relaxed-simd` (21+ have it on). */
const FLAGGED_MAJORS = new Set([20]);

if (FLAGGED_MAJORS.has(Number(process.versions.node.split('.')[0]))) setFlagsFromString('--experimental-wasm-relaxed-simd');
