import * as tf from '@tensorflow/tfjs';
import type { AttentionMask } from '../masks/attention-mask';

/**
 * The projected keys and values one attention keeps for incremental decoding, each
 * `(batch, heads, time, headDim)`: for self-attention, those of every token decoded so far; for
 * cross-attention, those of the encoder sequence, projected once per source.
 *
 * @example
 * ```ts
 * const cross: AttentionCache = block.computeCrossAttentionCache(encoded); // key, value (batch, heads, S, headDim)
 * ```
 */
export interface AttentionCache {
  key: tf.Tensor4D;
  value: tf.Tensor4D;
}

/**
 * Options of {@link TransformerDecoderBlock.callWithCache}.
 *
 * @example
 * ```ts
 * const options: TransformerDecoderCacheOptions = { selfAttentionCache: previous, crossAttentionCache: cross, encoderAttentionMask: sourceMask };
 * ```
 */
export interface TransformerDecoderCacheOptions {
  /** Keys and values of the earlier positions, as returned by the previous step; none at the first step. */
  selfAttentionCache?: AttentionCache;
  /** The encoder sequence's keys and values from {@link TransformerDecoderBlock.computeCrossAttentionCache}; required when the block has cross-attention. */
  crossAttentionCache?: AttentionCache;
  /**
   * Self-attention mask over all `t + n` positions so far (true = may attend), e.g. a
   * `paddingMask` of a left-padded prompt; ANDed with the causal mask. Shape `(batch, 1, t + n)`
   * or any that broadcasts to `(batch, heads, n, t + n)`.
   */
  decoderAttentionMask?: AttentionMask;
  /** Cross-attention mask over encoder positions (true = may attend), e.g. a source `paddingMask`. */
  encoderAttentionMask?: AttentionMask;
  /** Also return this step's attention weights (which runs the reference attention path). Default false. */
  returnAttentionWeights?: boolean;
}

/**
 * What {@link TransformerDecoderBlock.callWithCache} returns. Every tensor is new and the caller's:
 * dispose the previous `selfAttentionCache` once the step is taken (it is not reused).
 *
 * @example
 * ```ts
 * const step = block.callWithCache(embedded, { selfAttentionCache: cache, crossAttentionCache: cross });
 * tf.dispose([cache.key, cache.value]);
 * cache = step.selfAttentionCache;
 * ```
 */
export interface TransformerDecoderCacheResult {
  /** `(batch, n, width)` for the `n` new positions. */
  output: tf.Tensor3D;
  /** Keys and values of every position so far, `(batch, heads, t + n, headDim)`. */
  selfAttentionCache: AttentionCache;
  /** `(batch, heads, n, t + n)`, when asked. */
  selfAttentionWeights?: tf.Tensor4D;
  /** `(batch, heads, n, S)`, when asked and the block has cross-attention. */
  crossAttentionWeights?: tf.Tensor4D;
}

/**
 * The causal mask of `n` new queries at positions `past … past + n − 1` over `past + n` keys:
 * bool `(1, 1, n, past + n)`, query i may see key j ≤ past + i. `undefined` for one new query
 * (it may see every key).
 * @internal
 */
export function offsetCausalMask(past: number, n: number): tf.Tensor4D | undefined {
  if (n === 1) return undefined;
  return tf.tidy(() => {
    const keys = tf.range(0, past + n, 1, 'int32').reshape([1, past + n]); // (1, past + n)
    const queries = tf.range(past, past + n, 1, 'int32').reshape([n, 1]); // (n, 1)
    return tf.lessEqual(keys, queries).reshape([1, 1, n, past + n]) as tf.Tensor4D;
  });
}

/** Checks a cache's rank, batch, heads and depth against the block; errors name it. @internal */
export function assertCacheFits(cache: AttentionCache, name: string, batch: number, heads: number, depth: number, where: string): void {
  for (const part of ['key', 'value'] as const) {
    const tensor = cache[part];
    if (!(tensor instanceof tf.Tensor) || tensor.rank !== 4 || tensor.shape[0] !== batch || tensor.shape[1] !== heads || tensor.shape[3] !== depth) {
      const shape = tensor instanceof tf.Tensor ? `[${tensor.shape}]` : typeof tensor;
      throw new Error(`${where}: ${name}.${part} must have shape (batch ${batch}, heads ${heads}, time, headDim ${depth}); got ${shape}`);
    }
  }
  if (cache.key.shape[2] !== cache.value.shape[2]) throw new Error(`${where}: ${name}.key [${cache.key.shape}] and ${name}.value [${cache.value.shape}] differ in length`);
}
