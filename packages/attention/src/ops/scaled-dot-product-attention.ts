import * as tf from '@tensorflow/tfjs';
import { assertMaskFits, toRank4Mask, type AttentionMask } from '../masks/attention-mask';
import { causalMask } from '../masks/causal-mask';
import { getAttentionFastPath } from './attention-fast-path';
import { scaledDotProductAttentionReference } from './scaled-dot-product-attention-reference';

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /** bool/int32, true = may attend; see {@link AttentionMask} for the accepted shapes. */
  mask?: AttentionMask;
  /** Also block keys after each query (top-left aligned). Default false. */
  causal?: boolean;
  /** Multiplier of `query·keyᵀ`. Default `1/√dim`. */
  scale?: number;
  /** Dropout rate on the attention weights while `training`. Default 0. */
  dropout?: number;
  /** Whether dropout is active. Default false. */
  training?: boolean;
  /** Return `[context, weights]` instead of `context`. Default false. */
  returnWeights?: boolean;
  /** Dropout seed, for reproducible tests. */
  seed?: number;
}

const AXES = ['batch', 'heads', 'time', 'dim'];

function shapeError(message: string): Error {
  return new Error(`scaledDotProductAttention: ${message}`);
}

/**
 * Checks everything about a call before any kernel runs and returns the `(batch, heads, T, dim)`
 * view of the inputs' shapes. Exported for layers that validate their own calls.
 * @internal
 */
export function validateAttentionInputs(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, options: ScaledDotProductAttentionOptions): void {
  for (const [name, tensor] of [
    ['query', query],
    ['key', key],
    ['value', value],
  ] as const) {
    if (!(tensor instanceof tf.Tensor)) throw shapeError(`${name} must be a tf.Tensor; got ${typeof tensor}`);
    if (tensor.rank !== 3 && tensor.rank !== 4) {
      throw shapeError(`${name} must have rank 4 (batch, heads, time, dim) or 3 (batch, time, dim); got shape [${tensor.shape}]`);
    }
    if (tensor.dtype !== 'float32') throw shapeError(`${name} must be float32; got ${tensor.dtype} with shape [${tensor.shape}]`);
  }
  if (key.rank !== query.rank || value.rank !== query.rank) {
    throw shapeError(`query, key and value must have the same rank; got query [${query.shape}], key [${key.shape}], value [${value.shape}]`);
  }
  for (let axis = 0; axis < query.rank - 2; axis++) {
    const axisName = AXES[axis];
    if (key.shape[axis] !== query.shape[axis]) throw shapeError(`key [${key.shape}] and query [${query.shape}] differ in the ${axisName} axis`);
    if (value.shape[axis] !== query.shape[axis]) throw shapeError(`value [${value.shape}] and query [${query.shape}] differ in the ${axisName} axis`);
  }
  const last = query.rank - 1;
  if (key.shape[last] !== query.shape[last]) {
    throw shapeError(`key [${key.shape}] and query [${query.shape}] must have the same last (dim) axis`);
  }
  if (value.shape[last - 1] !== key.shape[last - 1]) {
    throw shapeError(`value [${value.shape}] and key [${key.shape}] must have the same time axis (one value per key)`);
  }
  const { scale, dropout } = options;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) throw shapeError(`scale must be a positive finite number; got ${scale}`);
  if (dropout !== undefined && !(dropout >= 0 && dropout < 1)) throw shapeError(`dropout must be in [0, 1); got ${dropout}`);
  if (options.mask !== undefined) {
    const heads = query.rank === 4 ? query.shape[1]! : 1;
    assertMaskFits(options.mask, [query.shape[0]!, heads, query.shape[last - 1]!, key.shape[last - 1]!], 'mask', 'scaledDotProductAttention');
  }
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1):
 * `weights = softmax(scale · query · keyᵀ)` over the keys the mask allows, `context = weights · value`.
 *
 * Shapes: `query (batch, heads, T, dim)`, `key (batch, heads, S, dim)`, `value (batch, heads, S,
 * valueDim)` → `context (batch, heads, T, valueDim)`, `weights (batch, heads, T, S)`. Rank-3
 * inputs `(batch, time, dim)` are read as one head. Masked keys get exactly zero weight and a
 * fully masked query row yields zeros, never NaN. NaN propagates as in PyTorch 1.13's scaled
 * dot-product attention with a bool mask, masked keys included: a NaN score anywhere in a row
 * makes its context and weights NaN, a NaN in a value column reaches that column of every context
 * row (0·NaN), and gradients follow the same arithmetic, on the fused and reference paths alike.
 * Differentiable on every backend. Returned
 * weights are taken before dropout.
 *
 * This is the single routing point between the composite reference
 * ({@link scaledDotProductAttentionReference}) and a fused kernel registered with
 * {@link setAttentionFastPath} (used when no weights are returned and dropout is inactive).
 *
 * @example
 * ```ts
 * const q = tf.randomNormal([2, 4, 5, 8]), k = tf.randomNormal([2, 4, 6, 8]), v = tf.randomNormal([2, 4, 6, 8]);
 * const [context, weights] = scaledDotProductAttention(q, k, v, { mask: paddingMask([6, 3]), returnWeights: true });
 * // context (2, 4, 5, 8), weights (2, 4, 5, 6); weights[1, :, :, 3:] are exactly 0
 * ```
 */
export function scaledDotProductAttention<T extends tf.Tensor>(query: T, key: T, value: T, options: ScaledDotProductAttentionOptions & { returnWeights: true }): [T, T];
export function scaledDotProductAttention<T extends tf.Tensor>(query: T, key: T, value: T, options?: ScaledDotProductAttentionOptions & { returnWeights?: false }): T;
export function scaledDotProductAttention<T extends tf.Tensor>(query: T, key: T, value: T, options?: ScaledDotProductAttentionOptions): T | [T, T];
export function scaledDotProductAttention<T extends tf.Tensor>(query: T, key: T, value: T, options: ScaledDotProductAttentionOptions = {}): T | [T, T] {
  validateAttentionInputs(query, key, value, options);
  const singleHead = query.rank === 3;
  const depth = query.shape[query.rank - 1]!;
  const scale = options.scale ?? 1 / Math.sqrt(depth);
  const dropout = options.dropout ?? 0;
  const training = options.training ?? false;
  const causal = options.causal ?? false;
  const result = tf.tidy(() => {
    const as4d = (tensor: tf.Tensor) => (singleHead ? tensor.expandDims(1) : tensor) as tf.Tensor4D; // (batch, heads, time, dim)
    const query4 = as4d(query);
    const key4 = as4d(key);
    const value4 = as4d(value);
    const userMask = options.mask === undefined ? undefined : toRank4Mask(options.mask); // (batch|1, heads|1, T|1, S)
    const fastPath = getAttentionFastPath();
    if (fastPath && !options.returnWeights && !(training && dropout > 0)) {
      const fast = fastPath(query4, key4, value4, { mask: userMask, causal, scale });
      if (fast) return [fast];
    }
    let mask = userMask;
    if (causal) {
      const lookAhead = causalMask(query4.shape[2], key4.shape[2]).reshape([1, 1, query4.shape[2], key4.shape[2]]); // (1, 1, T, S)
      mask = (mask ? tf.logicalAnd(mask, lookAhead) : lookAhead) as tf.Tensor4D;
    }
    const { context, weights } = scaledDotProductAttentionReference(query4, key4, value4, { mask, scale, dropout, training, seed: options.seed });
    return [context, weights];
  });
  const unhead = (tensor: tf.Tensor) => {
    if (!singleHead) return tensor as T;
    const squeezed = tensor.squeeze([1]) as T;
    tensor.dispose();
    return squeezed;
  };
  const context = unhead(result[0]!);
  if (!options.returnWeights) {
    tf.dispose(result.slice(1));
    return context;
  }
  return [context, unhead(result[1]!)];
}
