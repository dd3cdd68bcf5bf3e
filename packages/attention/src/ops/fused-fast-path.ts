import * as tf from '@tensorflow/tfjs';
import { fusedAttention, hasFusedAttentionKernel, registerFusedAttention } from '@heed/backends';
import type { AttentionFastPath } from './attention-fast-path';

/**
 * The default fast path of {@link scaledDotProductAttention}: `fusedAttention` from
 * `@heed/backends` (tiled, online softmax, no (T×S) buffer, its own gradient) wherever the active
 * backend has the fused kernel (cpu, wasm, webgpu) and value depth equals key depth; otherwise it
 * declines and the composite reference runs.
 *
 * @example
 * ```ts
 * setAttentionFastPath(undefined);          // reference composite only
 * setAttentionFastPath(fusedAttentionFastPath); // back to the default
 * ```
 */
export const fusedAttentionFastPath: AttentionFastPath = (query, key, value, { mask, causal, scale }) => {
  registerFusedAttention(); // idempotent: cpu and wasm kernels, the gradient, the SIMD module
  if (!hasFusedAttentionKernel(tf.getBackend())) return undefined;
  if (value.shape[3] !== key.shape[3] || value.shape[2] !== key.shape[2]) return undefined; // (batch, heads, S, depth) must match
  if (query.dtype !== 'float32' || key.dtype !== 'float32' || value.dtype !== 'float32') return undefined;
  return fusedAttention(query, key, value, { mask, causal, scale }) as tf.Tensor4D;
};
