import type { AttentionCores } from '../../fused/attention-kernel-funcs';

/** @returns the WebAssembly SIMD attention cores once loaded, else undefined. */
export function attentionSimdCores(): AttentionCores | undefined {
  return undefined;
}
