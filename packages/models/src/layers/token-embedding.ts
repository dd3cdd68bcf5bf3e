import * as tf from '@tensorflow/tfjs';
import { gatherRows } from './gather-rows';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link TokenEmbedding}. */
export interface TokenEmbeddingArgs extends LayerArgs {
  /** Number of token ids; ids must be in [0, vocabSize). */
  vocabSize: number;
  /** Embedding width. */
  dim: number;
}

/**
 * Token embedding lookup `ids (batch, time)` int32 → `(batch, time, dim)` that trains on every
 * backend: the forward pass is a gather ({@link gatherRows}), the gradient a `tf.scatterND` (which
 * sums repeated ids) instead of tfjs' UnsortedSegmentSum, which the wasm backend lacks. Table initialized
 * uniformly in [−0.05, 0.05] (as Keras).
 *
 * @example
 * ```ts
 * const embed = new TokenEmbedding({ vocabSize: 4000, dim: 64 });
 * const vectors = embed.apply(ids) as tf.Tensor; // (batch, time, 64)
 * ```
 */
export class TokenEmbedding extends tf.layers.Layer {
  static className = 'HeedTokenEmbedding';
  readonly vocabSize: number;
  readonly dim: number;
  private embeddings!: tf.LayerVariable;

  constructor(args: TokenEmbeddingArgs) {
    super(args);
    this.vocabSize = args.vocabSize;
    this.dim = args.dim;
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.vocabSize, this.dim], 'float32', tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (ids.dtype !== 'int32') throw new Error(`TokenEmbedding: ids must be int32; got ${ids.dtype} with shape [${ids.shape}]`);
    return gatherRows(this.embeddings.read(), ids, 'TokenEmbedding'); // (…, dim)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), vocabSize: this.vocabSize, dim: this.dim };
  }
}
tf.serialization.registerClass(TokenEmbedding);
