import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * Prepends a learned class token (ViT's `[CLS]`, Dosovitskiy et al. 2021):
 * `(batch, time, dim)` → `(batch, 1 + time, dim)`; weight `token (1, 1, dim)`, zeros at start.
 *
 * @example
 * ```ts
 * const withToken = new ClassToken().apply(tf.zeros([2, 16, 64])) as tf.Tensor; // (2, 17, 64)
 * ```
 */
export class ClassToken extends tf.layers.Layer {
  static className = 'HeedClassToken';
  private token!: tf.LayerVariable;

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`ClassToken: inputs must have shape (batch, time, dim); got shape [${shape}]`);
    this.token = this.addWeight('token', [1, 1, shape[2]!], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0]!, shape[1] === null ? null : shape[1]! + 1, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      // broadcastTo, not tile: tile's gradient is one slice + add per copy (slow on wasm).
      const tokens = tf.broadcastTo(this.token.read(), [x.shape[0]!, 1, x.shape[2]!]); // (batch, 1, dim)
      return tf.concat([tokens, x], 1); // (batch, 1 + time, dim)
    });
  }
}
tf.serialization.registerClass(ClassToken);
