import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link TokenPooling}. */
export interface TokenPoolingArgs extends LayerArgs {
  /** `cls`: the first token; `mean`: the mean over all tokens. */
  mode: 'cls' | 'mean';
}

/**
 * Pools `(batch, time, dim)` to `(batch, dim)`: the first (class) token, or the mean of all tokens.
 *
 * @example
 * ```ts
 * const pooled = new TokenPooling({ mode: 'cls' }).apply(encoded) as tf.Tensor; // (batch, dim)
 * ```
 */
export class TokenPooling extends tf.layers.Layer {
  static className = 'HeedTokenPooling';
  readonly mode: 'cls' | 'mean';

  constructor(args: TokenPoolingArgs) {
    super(args);
    if (args.mode !== 'cls' && args.mode !== 'mean') throw new Error(`TokenPooling: mode must be 'cls' or 'mean'; got ${JSON.stringify(args.mode)}`);
    this.mode = args.mode;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0]!, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      if (this.mode === 'mean') return tf.mean(x, 1); // (batch, dim)
      const [batch, , dim] = x.shape as [number, number, number];
      return x.slice([0, 0, 0], [batch, 1, dim]).reshape([batch, dim]); // (batch, dim)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode };
  }
}
tf.serialization.registerClass(TokenPooling);
