import * as tf from '@tensorflow/tfjs';
import { gatherRows } from './gather-rows';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link AddPositionEmbedding}. */
export interface AddPositionEmbeddingArgs extends LayerArgs {
  /** Number of positions the table holds (HF `max_position_embeddings`); inputs may have at most this many tokens. */
  sequenceLength: number;
}

/**
 * Adds a learned position embedding table `embeddings (sequenceLength, dim)` (truncated normal,
 * σ 0.05) to `(batch, time, dim)` inputs (ViT's `pos_embedding`, BERT's `position_embeddings`).
 * Any `time ≤ sequenceLength` works: positions `0 … time − 1` use the table's first `time` rows,
 * broadcast over the batch (the gradient is a single sum over the batch, unlike tiling). Positions
 * other than `0 … time − 1` (e.g. RoBERTa's, which start after the padding id and skip padding) are
 * given as the call option `positionIds (batch, time)` int32 and looked up with {@link gatherRows}.
 *
 * @example
 * ```ts
 * const positions = new AddPositionEmbedding({ sequenceLength: 512 });
 * const x = positions.apply(tokens) as tf.Tensor; // tokens (batch, 17, dim) → (batch, 17, dim): rows 0 … 16
 * const y = positions.apply(tokens, { positionIds }) as tf.Tensor; // rows positionIds (batch, 17)
 * ```
 */
export class AddPositionEmbedding extends tf.layers.Layer {
  static className = 'HeedAddPositionEmbedding';
  readonly sequenceLength: number;
  private embeddings!: tf.LayerVariable;

  constructor(args: AddPositionEmbeddingArgs) {
    super(args);
    if (!Number.isInteger(args.sequenceLength) || args.sequenceLength < 1) throw new Error(`AddPositionEmbedding: sequenceLength must be a positive integer; got ${String(args.sequenceLength)}`);
    this.sequenceLength = args.sequenceLength;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new Error(`AddPositionEmbedding: inputs must have shape (batch, time, dim); got shape [${shape}]`);
    if (typeof shape[1] === 'number' && shape[1] > this.sequenceLength) throw new Error(`AddPositionEmbedding: inputs have ${shape[1]} tokens (shape [${shape}]) but the table holds sequenceLength ${this.sequenceLength}`);
    this.embeddings = this.addWeight('embeddings', [this.sequenceLength, shape[2]!], 'float32', tf.initializers.truncatedNormal({ stddev: 0.05 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { positionIds?: tf.Tensor } = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const table = this.embeddings.read(); // (sequenceLength, dim)
    const [positions, dim] = table.shape as [number, number];
    if (x.rank !== 3 || x.shape[1]! > positions || x.shape[2] !== dim) {
      throw new Error(`AddPositionEmbedding: inputs must have shape (batch, time ≤ ${positions}, ${dim}); got shape [${x.shape}]`);
    }
    const time = x.shape[1]!;
    const { positionIds } = kwargs;
    if (positionIds === undefined) {
      if (time === positions) return tf.add(x, table); // (batch, time, dim) + (time, dim)
      return tf.tidy(() => tf.add(x, table.slice([0, 0], [time, dim]))); // (batch, time, dim) + (time, dim)
    }
    if (positionIds.rank !== 2 || positionIds.shape[0] !== x.shape[0] || positionIds.shape[1] !== time) {
      throw new Error(`AddPositionEmbedding: positionIds must have shape (batch, time) = (${x.shape[0]}, ${time}); got shape [${positionIds.shape}]`);
    }
    return tf.tidy(() => tf.add(x, gatherRows(table, positionIds, 'AddPositionEmbedding'))); // (batch, time, dim) + (batch, time, dim)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength };
  }
}
tf.serialization.registerClass(AddPositionEmbedding);
