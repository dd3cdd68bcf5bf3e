import * as tf from '@tensorflow/tfjs';
import { maskedSoftmax } from '@heed/attention';

type Shape = Array<number | null>;
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Configuration of {@link AttentionPooling}. */
export interface AttentionPoolingArgs extends LayerArgs {
  /** Width of the scoring layer. */
  units: number;
  /** Token id marking padding; those positions get exactly zero weight. Default 0. */
  padId?: number;
}

/**
 * Additive (Bahdanau-style) attention pooling over time, the "LSTM + attention" text classifier's
 * pooling (Raffel & Ellis 2015; Yang et al. 2016 without the context query):
 * `score_t = vᵀ tanh(W h_t + b)`, `α = softmax(score)` over the non-padding tokens,
 * `pooled = Σ_t α_t h_t`. Inputs `[states (batch, time, width), ids (batch, time)]` → `(batch, width)`.
 * The weights `α` are the per-token explanation ({@link attentionWeights}).
 *
 * @example
 * ```ts
 * const pool = new AttentionPooling({ units: 32 });
 * const pooled = pool.apply([states, ids]) as tf.Tensor; // (batch, width)
 * const alpha = pool.attentionWeights(states, ids); // (batch, time), 0 on padding
 * ```
 */
export class AttentionPooling extends tf.layers.Layer {
  static className = 'HeedAttentionPooling';
  readonly units: number;
  readonly padId: number;
  private kernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  private score!: tf.LayerVariable;

  constructor(args: AttentionPoolingArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units < 1) throw new Error(`AttentionPooling: units must be a positive integer; got ${String(args.units)}`);
    this.units = args.units;
    this.padId = args.padId ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [states] = inputShape as Shape[];
    if (!states || states.length !== 3) throw new Error(`AttentionPooling: inputs must be [states (batch, time, width), ids (batch, time)]; got shapes ${JSON.stringify(inputShape)}`);
    const width = states[2]!;
    this.kernel = this.addWeight('kernel', [width, this.units], 'float32', tf.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.score = this.addWeight('score', [this.units, 1], 'float32', tf.initializers.glorotUniform({}));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [states] = inputShape as Shape[];
    return [states![0]!, states![2]!];
  }

  /** The pooling weights `(batch, time)`: rows sum to 1 over non-padding tokens, padding gets exactly 0. */
  attentionWeights(states: tf.Tensor, ids: tf.Tensor): tf.Tensor2D {
    const [batch, time, width] = states.shape as [number, number, number];
    if (states.rank !== 3 || ids.rank !== 2 || ids.shape[0] !== batch || ids.shape[1] !== time) {
      throw new Error(`AttentionPooling: states (batch, time, width) and ids (batch, time) must agree; got states [${states.shape}] and ids [${ids.shape}]`);
    }
    return tf.tidy(() => {
      const hidden = tf.tanh(tf.add(tf.matMul(states.reshape([batch * time, width]), this.kernel.read() as tf.Tensor2D), this.bias.read())); // (batch·time, units)
      const scores = tf.matMul(hidden, this.score.read() as tf.Tensor2D).reshape([batch, time]); // (batch, time)
      const mask = tf.notEqual(ids, tf.scalar(this.padId, ids.dtype)); // (batch, time), true = a real token
      return maskedSoftmax(scores, mask) as tf.Tensor2D;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [states, ids] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const weights = this.attentionWeights(states!, ids!); // (batch, time)
      return tf.sum(tf.mul(states!, weights.expandDims(2)), 1); // (batch, width)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, padId: this.padId };
  }
}
tf.serialization.registerClass(AttentionPooling);
