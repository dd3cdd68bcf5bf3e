import * as tf from '@tensorflow/tfjs';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link PatchEmbedding}. */
export interface PatchEmbeddingArgs extends LayerArgs {
  /** Side of the square, non-overlapping patches. */
  patchSize: number;
  /** Width of each patch embedding. */
  dim: number;
}

/**
 * Cuts `(batch, height, width, channels)` images into non-overlapping `patchSize × patchSize`
 * patches, row by row, flattens each as `(row in patch, column in patch, channel)` (einops
 * `b (h p1) (w p2) c -> b (h w) (p1 p2 c)`) and projects it linearly:
 * `(batch, height/p · width/p, dim)`. Same as a `p × p` convolution with stride `p`.
 *
 * @example
 * ```ts
 * const embed = new PatchEmbedding({ patchSize: 7, dim: 64 });
 * const tokens = embed.apply(tf.zeros([2, 28, 28, 1])) as tf.Tensor; // (2, 16, 64)
 * ```
 */
export class PatchEmbedding extends tf.layers.Layer {
  static className = 'HeedPatchEmbedding';
  readonly patchSize: number;
  readonly dim: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;

  constructor(args: PatchEmbeddingArgs) {
    super(args);
    this.patchSize = args.patchSize;
    this.dim = args.dim;
  }

  private check(shape: Shape): [number, number, number] {
    const p = this.patchSize;
    if (shape.length !== 4) throw new Error(`PatchEmbedding: images must have shape (batch, height, width, channels); got shape [${shape}]`);
    const [, height, width, channels] = shape as [number | null, number, number, number];
    if (height % p !== 0 || width % p !== 0) {
      throw new Error(`PatchEmbedding: image size ${height}×${width} (shape [${shape}]) is not divisible by patchSize ${p}`);
    }
    return [height, width, channels];
  }

  override build(inputShape: Shape | Shape[]): void {
    const [, , channels] = this.check(inputShape as Shape);
    const features = this.patchSize * this.patchSize * channels;
    this.kernel = this.addWeight('kernel', [features, this.dim], 'float32', tf.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.dim], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [height, width] = this.check(inputShape as Shape);
    return [(inputShape as Shape)[0]!, (height / this.patchSize) * (width / this.patchSize), this.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const images = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const patches = extractPatches(images, this.patchSize); // (batch, patches, p·p·channels)
      const [batch, count, features] = patches.shape as [number, number, number];
      const kernel = this.kernel.read();
      if (kernel.shape[0] !== features) {
        throw new Error(`PatchEmbedding: images [${images.shape}] give ${features} values per patch but the layer was built for ${kernel.shape[0]}`);
      }
      const flat = patches.reshape([batch * count, features]); // (batch·patches, features)
      return tf.add(tf.matMul(flat, kernel as tf.Tensor2D), this.bias.read()).reshape([batch, count, this.dim]); // (batch, patches, dim)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), patchSize: this.patchSize, dim: this.dim };
  }
}
tf.serialization.registerClass(PatchEmbedding);

/**
 * `(batch, height, width, channels)` → `(batch, (height/p)·(width/p), p·p·channels)`: the patches
 * row by row, each flattened as (row in patch, column in patch, channel). Transposes of rank 4 only.
 *
 * @example
 * ```ts
 * extractPatches(tf.zeros([1, 28, 28, 1]), 7).shape; // [1, 16, 49]
 * ```
 */
export function extractPatches(images: tf.Tensor, patchSize: number): tf.Tensor3D {
  if (images.rank !== 4) throw new Error(`extractPatches: images must have shape (batch, height, width, channels); got shape [${images.shape}]`);
  const [batch, height, width, channels] = images.shape as [number, number, number, number];
  const p = patchSize;
  if (height % p !== 0 || width % p !== 0) throw new Error(`extractPatches: image size ${height}×${width} (shape [${images.shape}]) is not divisible by patchSize ${p}`);
  const rows = height / p;
  const columns = width / p;
  return tf.tidy(() => {
    const split = images.reshape([batch * rows, p, columns, p * channels]); // (batch·rows, p, columns, p·channels)
    const grouped = split.transpose([0, 2, 1, 3]); // (batch·rows, columns, p, p·channels)
    return grouped.reshape([batch, rows * columns, p * p * channels]) as tf.Tensor3D; // (batch, patches, p·p·channels)
  });
}
