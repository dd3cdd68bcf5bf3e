import * as tf from '@tensorflow/tfjs';
import { isSymbolic, readStartIndex, type Kwargs, type LayerArgs, type Shape } from '../layers/layer-utils';

/**
 * The fixed sinusoidal position encoding of Vaswani et al. 2017 (§3.5), shape `(length, dim)`:
 * `PE[pos, 2i] = sin(pos / base^(2i/dim))`, `PE[pos, 2i+1] = cos(pos / base^(2i/dim))`
 * (sin and cos interleaved, as the paper and PyTorch's tutorial `PositionalEncoding`).
 *
 * @param start first position (e.g. the cache length when decoding step by step). Default 0.
 *
 * @example
 * ```ts
 * const encoding = sinusoidalPositionEncoding(50, 16); // (50, 16)
 * const inputs = embeddings.add(encoding); // (batch, 50, 16)
 * ```
 */
export function sinusoidalPositionEncoding(length: number, dim: number, { base = 10000, start = 0 }: { base?: number; start?: number } = {}): tf.Tensor2D {
  for (const [name, value] of [
    ['length', length],
    ['dim', dim],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`sinusoidalPositionEncoding: ${name} must be a positive integer; got ${value}`);
  }
  if (!(base > 1)) throw new Error(`sinusoidalPositionEncoding: base must be > 1; got ${base}`);
  return tf.tidy(() => {
    const positions = tf.range(start, start + length).reshape([length, 1]); // (length, 1)
    const pairIndex = tf.floorDiv(tf.range(0, dim, 1, 'int32'), 2).toFloat(); // (dim,): i for columns 2i and 2i+1
    const inverseWavelengths = tf.exp(tf.mul(pairIndex, (-2 * Math.log(base)) / dim)); // (dim,): base^(-2i/dim)
    const angles = tf.mul(positions, inverseWavelengths.reshape([1, dim])); // (length, dim)
    const isEven = tf.equal(tf.mod(tf.range(0, dim, 1, 'int32'), 2), 0).reshape([1, dim]); // (1, dim)
    return tf.where(isEven, tf.sin(angles), tf.cos(angles)) as tf.Tensor2D; // (length, dim)
  });
}

/** Configuration of {@link SinusoidalPositionEncoding}. */
export interface SinusoidalPositionEncodingArgs extends LayerArgs {
  /** Base of the wavelengths (Keras-hub `max_wavelength`). Default 10000. */
  maxWavelength?: number;
}

/**
 * Layer form of {@link sinusoidalPositionEncoding}, as Keras-hub's `SinusoidalPositionEncoding`:
 * given `(batch, time, dim)` inputs it returns the encoding broadcast to the same shape (add it to
 * the inputs yourself). No weights. Call option `startIndex` shifts the positions (in a graph: the
 * one given at the symbolic apply).
 *
 * @example
 * ```ts
 * const positions = new SinusoidalPositionEncoding();
 * const x = tf.add(tokens, positions.apply(tokens) as tf.Tensor); // (batch, time, dim)
 * ```
 */
export class SinusoidalPositionEncoding extends tf.layers.Layer {
  static className = 'SinusoidalPositionEncoding';
  readonly maxWavelength: number;
  private graphStartIndex: number | undefined;

  constructor(args: SinusoidalPositionEncodingArgs = {}) {
    super(args);
    this.maxWavelength = args.maxWavelength ?? 10000;
    if (!(this.maxWavelength > 1)) throw new Error(`SinusoidalPositionEncoding: maxWavelength must be > 1; got ${args.maxWavelength}`);
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
    if (input.rank !== 3) throw new Error(`SinusoidalPositionEncoding: inputs must have shape (batch, time, dim); got shape [${input.shape}]`);
    const [batch, time, dim] = input.shape as [number, number, number];
    const start = readStartIndex(kwargs.startIndex, this.graphStartIndex, 'SinusoidalPositionEncoding');
    return tf.tidy(() => tf.broadcastTo(sinusoidalPositionEncoding(time, dim, { base: this.maxWavelength, start }).expandDims(0), [batch, time, dim])); // (batch, time, dim)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxWavelength: this.maxWavelength };
  }
}
tf.serialization.registerClass(SinusoidalPositionEncoding);
