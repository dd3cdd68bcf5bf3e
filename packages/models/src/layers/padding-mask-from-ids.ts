import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link PaddingMaskFromIds}. */
export interface PaddingMaskFromIdsArgs extends LayerArgs {
  /** Token id marking padding. Default 0. */
  padId?: number;
}

/**
 * Token ids `(batch, time)` → key padding mask `(batch, 1, time)` int32, 1 where a query may attend
 * (a real token), 0 on padding; @heed/attention's polarity, broadcast over queries and heads.
 *
 * @example
 * ```ts
 * const mask = new PaddingMaskFromIds({ padId: 0 }).apply(ids) as tf.Tensor; // [[[1, 1, 0]]] for ids [[5, 7, 0]]
 * ```
 */
export class PaddingMaskFromIds extends tf.layers.Layer {
  static className = 'HeedPaddingMaskFromIds';
  readonly padId: number;

  constructor(args: PaddingMaskFromIdsArgs = {}) {
    super({ ...args, dtype: 'int32' }); // the graph executor casts outputs to the layer's dtype: keep the mask int32
    this.padId = args.padId ?? 0;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0]!, 1, shape[1]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (ids.rank !== 2) throw new Error(`PaddingMaskFromIds: ids must have shape (batch, time); got shape [${ids.shape}]`);
    return tf.tidy(() => tf.notEqual(ids, tf.scalar(this.padId, ids.dtype)).toInt().expandDims(1)); // (batch, 1, time)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padId: this.padId };
  }
}
tf.serialization.registerClass(PaddingMaskFromIds);
