import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link AddPositionEmbedding}. */
export interface AddPositionEmbeddingArgs extends LayerArgs {
  /** Number of positions (tokens) the table holds; inputs must have exactly this many. */
  sequenceLength: number;
}

/**
 * Adds a learned position embedding table `embeddings (sequenceLength, dim)` (truncated normal,
 * σ 0.05) to `(batch, sequenceLength, dim)` inputs by broadcasting (ViT's `pos_embedding`).
 * Unlike tiling the table per example, its gradient is a single sum over the batch.
 *
 * @example
 * ```ts
 * const withPositions = new AddPositionEmbedding({ sequenceLength: 17 }).apply(tokens) as tf.Tensor; // (batch, 17, dim)
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
    this.embeddings = this.addWeight('embeddings', [this.sequenceLength, shape[2]!], 'float32', tf.initializers.truncatedNormal({ stddev: 0.05 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return inputShape as Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const table = this.embeddings.read();
    if (x.rank !== 3 || x.shape[1] !== table.shape[0] || x.shape[2] !== table.shape[1]) {
      throw new Error(`AddPositionEmbedding: inputs must have shape (batch, ${table.shape[0]}, ${table.shape[1]}); got shape [${x.shape}]`);
    }
    return tf.add(x, table); // (batch, time, dim) + (time, dim)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength };
  }
}
tf.serialization.registerClass(AddPositionEmbedding);
