import type { SimdThreadPool } from './simd-thread-pool';

/** The exports of heed's WebAssembly SIMD module (assembly/index.ts). */
export interface SimdExports {
  memory: WebAssembly.Memory;
  attentionForward(...args: number[]): void;
  attentionBackward(...args: number[]): void;
  forwardScratchFloats(keyLength: number, depth: number): number;
  backwardScratchFloats(keyLength: number, depth: number): number;
  matMul(...args: number[]): void;
  matMulScratchFloats(m: number, n: number): number;
  matMulShared(...args: number[]): void;
  hasNaN(values: number, count: number): number;
  geluForward(x: number, y: number, count: number): void;
  geluBackward(x: number, dy: number, dx: number, count: number): void;
  layerNormForward(x: number, gamma: number, beta: number, y: number, rows: number, dim: number, epsilon: number, stats: number): void;
  layerNormBackward(x: number, gamma: number, dy: number, dx: number, dGamma: number, dBeta: number, rows: number, dim: number, epsilon: number, stats: number): void;
  sumLeadingRows(values: number, outer: number, inner: number, sums: number, out: number): void;
  biasActivation(c: number, rows: number, n: number, bias: number, relu: number): void;
  matMulSharedScratchFloats(): number;
  packedBFloats(batchB: number, n: number, k: number): number;
  lstmForward(...args: number[]): void;
  lstmBackward(...args: number[]): void;
  lstmScratchFloats(batch: number, units: number): number;
}

/** Bytes below this offset belong to the module's own static data. */
const HEAP_START = 65536;
const PAGE = 65536;

/**
 * A bump allocator over the SIMD module's linear memory: each kernel call resets it, reserves
 * its float32 arrays (16-byte aligned), then takes views. Growing the memory detaches earlier
 * views, so callers reserve everything first and create views after.
 */
export class SimdHeap {
  private top = HEAP_START;
  /** Threads a kernel call may use (1 ..= pool size); see setSimdThreads. */
  activeThreads: number;
  /**
   * Multiply-adds below which a call runs on one thread: waking the pool costs ~0.05–0.1 ms, so
   * small problems (g2p-sized attention, d=128 projections) ran up to 2x slower threaded. Measured
   * on 2 cores: 2560×128×128 gains nothing threaded, 2560×128×512 gains 12%, 1024³ 1.9x.
   */
  minThreadedWork = 2 ** 26;

  /** `pool`: threads sharing this memory (the threaded module), if any. */
  constructor(
    readonly exports: SimdExports,
    readonly pool?: SimdThreadPool,
  ) {
    this.activeThreads = pool?.threads ?? 1;
  }

  /** Frees everything reserved since the last reset. */
  reset(): void {
    this.top = HEAP_START;
  }

  /** Reserves `count` float32 values; returns their byte offset. */
  reserve(count: number): number {
    const offset = this.top;
    this.top += Math.ceil((count * 4) / 16) * 16;
    const missing = this.top - this.exports.memory.buffer.byteLength;
    if (missing > 0) this.exports.memory.grow(Math.ceil(missing / PAGE));
    return offset;
  }

  /** A float32 view of `count` values at byte `offset` (valid until the memory grows). */
  view(offset: number, count: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, offset, count);
  }

  /** Reserves room for `values` and copies them in; returns the byte offset. */
  copyIn(values: Float32Array): number {
    const offset = this.reserve(values.length);
    this.view(offset, values.length).set(values);
    return offset;
  }
}
