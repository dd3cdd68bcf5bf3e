import type * as tf from '@tensorflow/tfjs';
import { fusedAttentionFastPath } from './fused-fast-path';

/** What {@link scaledDotProductAttention} hands a fast path: the same call, masks already merged. */
export interface AttentionFastPathOptions {
  /** Bool `(batch|1, heads|1, T|1, S)`, true = may attend; causal masking not yet applied. */
  mask?: tf.Tensor4D;
  /** Whether to also apply the top-left aligned causal mask. */
  causal: boolean;
  /** Multiplier of `query·keyᵀ`. */
  scale: number;
}

/**
 * A fused implementation of `softmax(scale·Q·Kᵀ masked)·V` on `(batch, heads, T, dim)`, e.g.
 * `fusedAttention` of `@heed/backends`. Return `undefined` to decline a call (unsupported
 * backend, shape or dtype); the composite reference path then runs.
 */
export type AttentionFastPath = (
  query: tf.Tensor4D,
  key: tf.Tensor4D,
  value: tf.Tensor4D,
  options: AttentionFastPathOptions,
) => tf.Tensor4D | undefined;

// Default: @heed/backends' fusedAttention where the active backend has the kernel.
let fastPath: AttentionFastPath | undefined = fusedAttentionFastPath;

/**
 * Plugs a fused kernel into {@link scaledDotProductAttention} (and so into every layer built on
 * it), or removes it with `undefined`. The default is {@link fusedAttentionFastPath}
 * (`fusedAttention` of `@heed/backends` on cpu, wasm and webgpu). This is the one routing point: the fast path is only asked
 * when no attention weights are requested and no dropout is active; the reference composite
 * (`scaledDotProductAttentionReference`) stays available to check it against.
 *
 * @example
 * ```ts
 * setAttentionFastPath((q, k, v, { mask, causal, scale }) => fusedAttention(q, k, v, { mask, causal, scale }));
 * ```
 */
export function setAttentionFastPath(implementation: AttentionFastPath | undefined): void {
  fastPath = implementation;
}

/**
 * The fast path currently plugged in, if any.
 *
 * @example
 * ```ts
 * const previous = getAttentionFastPath();
 * setAttentionFastPath(undefined); // measure the reference path
 * setAttentionFastPath(previous);
 * ```
 */
export function getAttentionFastPath(): AttentionFastPath | undefined {
  return fastPath;
}
