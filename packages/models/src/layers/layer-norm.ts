import * as tf from '@tensorflow/tfjs';
import { layerNormalization } from '@heed/attention';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link LayerNorm}. */
export interface LayerNormArgs extends LayerArgs {
  /** ε added to the variance. Default 1e-6 (ViT). */
  epsilon?: number;
}

/**
 * Layer normalization over the last axis with learned `gamma` (ones) and `beta` (zeros), through
 * @heed/attention's `layerNormalization` op. Unlike `tf.layers.layerNormalization`, which tiles
 * gamma and beta to the input's shape (a slice and an add per row in the gradient, very slow on
 * wasm), gamma and beta broadcast.
 *
 * @example
 * ```ts
 * const normed = new LayerNorm({ epsilon: 1e-6 }).apply(tokens) as tf.Tensor; // same shape as tokens
 * ```
 */
export class LayerNorm extends tf.layers.Layer {
  static className = 'HeedLayerNorm';
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: LayerNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-6;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const dim = shape[shape.length - 1];
    if (typeof dim !== 'number') throw new Error(`LayerNorm: the last axis must be known; got shape [${shape}]`);
    this.gamma = this.addWeight('gamma', [dim], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return layerNormalization(x, this.gamma.read(), this.beta.read(), this.epsilon);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);
