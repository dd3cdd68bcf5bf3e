import { getKernel } from '@tensorflow/tfjs';
import { fusedAttentionCpuConfig } from './fused-attention-cpu';
import { FusedAttention } from './fused-attention-kernel';
import { fusedAttentionWasmConfig } from './fused-attention-wasm';

/**
 * @returns whether the fused attention kernel registered for `backendName` is heed's cpu or wasm
 * one, which applies the NaN contract itself (attention-nan-poison-js.ts, in JavaScript at no
 * measurable cost); for any other kernel (webgpu's WGSL) `fusedAttention` applies it with tfjs
 * ops (attention-nan-poison.ts).
 *
 * @example
 * ```ts
 * registerFusedAttention();
 * kernelAppliesNanContract('wasm'); // true
 * ```
 */
export function kernelAppliesNanContract(backendName: string): boolean {
  const registered = getKernel(FusedAttention, backendName)?.kernelFunc;
  return registered !== undefined && (registered === fusedAttentionCpuConfig.kernelFunc || registered === fusedAttentionWasmConfig.kernelFunc);
}
