import * as tf from '@tensorflow/tfjs';
import { isSymbolic, readStartIndex, type Kwargs, type LayerArgs, type Shape } from '../layers/layer-utils';

/** Options of {@link applyRotaryEmbedding}. */
export interface RotaryOptions {
  /** Base of the rotation wavelengths (Keras-hub `max_wavelength`). Default 10000. */
  maxWavelength?: number;
  /** Positions are divided by this (linear position interpolation). Default 1. */
  scalingFactor?: number;
  /** First position. Default 0. */
  startIndex?: number;
}

/**
 * Rotary position embedding (RoPE; Su et al. 2021, "RoFormer"): rotates each feature pair of
 * `x (..., time, dim)` by the angle `pos · θᵢ`, `θᵢ = maxWavelength^(−2i/dim)`, so that
 * `rope(q, m) · rope(k, n)` depends on positions only through `m − n`. Pairs are the two halves
 * `(xᵢ, xᵢ₊dim/2)` ("rotate half", as GPT-NeoX, Llama and Keras-hub):
 * `x·cos + rotateHalf(x)·sin`. Apply it to queries and keys, `(batch, heads, T, headDim)` or
 * `(batch, T, dim)`; dim must be even.
 *
 * @example
 * ```ts
 * const rotatedQuery = applyRotaryEmbedding(query); // (batch, heads, T, headDim)
 * const rotatedKey = applyRotaryEmbedding(key);
 * ```
 */
export function applyRotaryEmbedding<T extends tf.Tensor>(x: T, options: RotaryOptions = {}): T {
  const { maxWavelength = 10000, scalingFactor = 1, startIndex = 0 } = options;
  if (x.rank < 2) throw new Error(`applyRotaryEmbedding: x must have shape (..., time, dim); got shape [${x.shape}]`);
  const time = x.shape[x.rank - 2]!;
  const dim = x.shape[x.rank - 1]!;
  if (dim % 2 !== 0) throw new Error(`applyRotaryEmbedding: the last axis of x must be even; got shape [${x.shape}]`);
  if (!(maxWavelength > 1) || !(scalingFactor > 0)) throw new Error(`applyRotaryEmbedding: maxWavelength must be > 1 and scalingFactor > 0; got ${maxWavelength}, ${scalingFactor}`);
  const half = dim / 2;
  return tf.tidy(() => {
    const inverseWavelengths = tf.exp(tf.mul(tf.range(0, half), (-2 * Math.log(maxWavelength)) / dim)); // (dim/2,): θᵢ
    const positions = tf.div(tf.range(startIndex, startIndex + time), scalingFactor).reshape([time, 1]); // (time, 1)
    const halfAngles = tf.mul(positions, inverseWavelengths.reshape([1, half])); // (time, dim/2)
    const angles = tf.concat([halfAngles, halfAngles], 1); // (time, dim): θ repeated for both halves
    const [first, second] = tf.split(x, 2, -1); // 2 × (..., time, dim/2)
    const rotatedHalf = tf.concat([tf.neg(second!), first!], -1); // (..., time, dim): (−x₂, x₁)
    return tf.add(tf.mul(x, tf.cos(angles)), tf.mul(rotatedHalf, tf.sin(angles))) as T;
  });
}

/** Configuration of {@link RotaryEmbedding} (Keras-hub names). */
export interface RotaryEmbeddingArgs extends LayerArgs {
  maxWavelength?: number;
  scalingFactor?: number;
}

/**
 * Layer form of {@link applyRotaryEmbedding}: returns its `(…, time, dim)` input rotated; no
 * weights. Call option `startIndex` shifts the positions (decoding with a cache; in a graph, the
 * one given at the symbolic apply).
 *
 * @example
 * ```ts
 * const rope = new RotaryEmbedding({ maxWavelength: 10000 });
 * const rotatedQuery = rope.apply(query) as tf.Tensor;
 * ```
 */
export class RotaryEmbedding extends tf.layers.Layer {
  static className = 'RotaryEmbedding';
  readonly maxWavelength: number;
  readonly scalingFactor: number;
  private graphStartIndex: number | undefined;

  constructor(args: RotaryEmbeddingArgs = {}) {
    super(args);
    this.maxWavelength = args.maxWavelength ?? 10000;
    this.scalingFactor = args.scalingFactor ?? 1;
    if (!(this.maxWavelength > 1)) throw new Error(`RotaryEmbedding: maxWavelength must be > 1; got ${args.maxWavelength}`);
    if (!(this.scalingFactor > 0)) throw new Error(`RotaryEmbedding: scalingFactor must be > 0; got ${args.scalingFactor}`);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  /** Remembers a `startIndex` given at the symbolic `apply` (tfjs' executor drops per-call options). */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs: Kwargs = {}): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    if (isSymbolic(inputs)) this.graphStartIndex = readStartIndex(kwargs.startIndex, undefined, this.getClassName());
    return super.apply(inputs, kwargs);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    const startIndex = readStartIndex(kwargs.startIndex, this.graphStartIndex, 'RotaryEmbedding');
    return applyRotaryEmbedding(input, { maxWavelength: this.maxWavelength, scalingFactor: this.scalingFactor, startIndex });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxWavelength: this.maxWavelength, scalingFactor: this.scalingFactor };
  }
}
tf.serialization.registerClass(RotaryEmbedding);
