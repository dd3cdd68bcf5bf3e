import type { BackendName } from './backend-name';
import type { SimdKernelsInfo } from './kernels/wasm-simd/load-simd-kernels';

/** One backend heed tried while choosing. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was not chosen (missing package, no adapter, failed init, ...). */
  reason?: string;
}

/** The GPU adapter behind a WebGPU backend. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU-emulated adapters (Mesa llvmpipe/lavapipe, SwiftShader). */
  isSoftware: boolean;
}

/** What {@link initBackend} chose and why. */
export interface BackendReport {
  /** The active tfjs backend. */
  name: BackendName;
  isGpu: boolean;
  /** WebAssembly SIMD in use (wasm backend only). */
  simd: boolean;
  /** WebAssembly threads in use (wasm backend only; never in Node). */
  threads: boolean;
  adapter?: AdapterReport;
  /**
   * heed's own WebAssembly kernels (wasm backend with fast kernels): which build runs ('relaxed'
   * fused multiply-add, or 'plain' SIMD), on how many threads, and why not better.
   */
  simdKernels?: SimdKernelsInfo;
  /** Fast-kernel overrides registered on the active backend. */
  kernelOverrides: string[];
  /** Every backend tried, in order, with the reason each one was skipped. */
  tried: BackendAttempt[];
}
