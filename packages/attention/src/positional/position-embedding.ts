import * as tf from '@tensorflow/tfjs';
import { assertPositiveInteger, isSymbolic, makeInitializer, readStartIndex, type InitializerName, type Kwargs, type LayerArgs, type Shape } from '../layers/layer-utils';

/** Configuration of {@link PositionEmbedding} (Keras-hub names). */
export interface PositionEmbeddingArgs extends LayerArgs {
  /** Largest sequence length the layer can embed. */
  sequenceLength: number;
  /** Initializer of the `embeddings` table. Default `glorotUniform`. */
  initializer?: InitializerName;
}

/**
 * Learned absolute position embedding (BERT, GPT-2): a trainable table `embeddings
 * (sequenceLength, dim)`; for `(batch, time, dim)` inputs returns rows `0 … time−1` broadcast to
 * `(batch, time, dim)` (add them to the inputs yourself, as Keras-hub's `PositionEmbedding`).
 * Call option `startIndex` offsets the positions (in a graph: the one given at the symbolic apply).
 *
 * @example
 * ```ts
 * const positions = new PositionEmbedding({ sequenceLength: 128 });
 * const x = tf.add(tokens, positions.apply(tokens) as tf.Tensor);
 * ```
 */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PositionEmbedding';
  readonly sequenceLength: number;
  readonly initializer: InitializerName;
  private embeddings!: tf.LayerVariable;
  private graphStartIndex: number | undefined;

  constructor(args: PositionEmbeddingArgs) {
    super(args);
    assertPositiveInteger(args.sequenceLength, 'sequenceLength', 'PositionEmbedding');
    this.sequenceLength = args.sequenceLength;
    this.initializer = args.initializer ?? 'glorotUniform';
    makeInitializer(this.initializer, 'PositionEmbedding', 'initializer');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3) throw new Error(`PositionEmbedding: inputs must have shape (batch, time, dim); got shape [${shape}]`);
    this.embeddings = this.addWeight('embeddings', [this.sequenceLength, shape[2]!], 'float32', makeInitializer(this.initializer, 'PositionEmbedding', 'initializer'));
    this.built = true;
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
    const [batch, time, dim] = input.shape as [number, number, number];
    const start = readStartIndex(kwargs.startIndex, this.graphStartIndex, 'PositionEmbedding');
    const table = this.embeddings.read();
    if (input.rank !== 3 || dim !== table.shape[1]) {
      throw new Error(`PositionEmbedding: inputs [${input.shape}] must be (batch, time, ${table.shape[1]}) for embeddings [${table.shape}]`);
    }
    if (start + time > this.sequenceLength) {
      throw new Error(`PositionEmbedding: positions ${start}…${start + time - 1} exceed sequenceLength ${this.sequenceLength} (inputs [${input.shape}])`);
    }
    // broadcastTo, not tile: its gradient is one sum over the batch axis (tile's loops over slices).
    return tf.tidy(() => tf.broadcastTo(table.slice([start, 0], [time, dim]).expandDims(0), [batch, time, dim])); // (batch, time, dim)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), sequenceLength: this.sequenceLength, initializer: this.initializer };
  }
}
tf.serialization.registerClass(PositionEmbedding);
