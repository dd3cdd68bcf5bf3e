import * as tf from '@tensorflow/tfjs';
import { additiveScore } from '../ops/additive-score';
import { assertPositiveInteger, makeInitializer, type InitializerName, type Shape } from './layer-utils';
import { ScoredAttention, type ScoredAttentionArgs } from './scored-attention';

/** Configuration of {@link AdditiveAttention}. */
export interface AdditiveAttentionArgs extends ScoredAttentionArgs {
  /** Width of the hidden layer of the alignment model (`W`, `U`, `b`, `v`). */
  units: number;
  /** Initializer of `W`, `U` and `v`. Default `glorotUniform`. */
  kernelInitializer?: InitializerName;
}

/**
 * Additive (Bahdanau) attention, Bahdanau, Cho & Bengio 2015, "Neural Machine Translation by
 * Jointly Learning to Align and Translate", eq. (6) / appendix A.1.2:
 *
 *   scoreₜₛ = vᵀ tanh(W·queryₜ + U·keyₛ + b),   weights = softmax(scores),   context = weights·value
 *
 * Weights: `query_kernel` W `(queryDim, units)`, `key_kernel` U `(keyDim, units)`, `bias` b
 * `(units,)`, `score_vector` v `(units,)`. Call as `apply([query, value, key?], options)`, see
 * {@link ScoredAttention}.
 *
 * @example
 * ```ts
 * const attention = new AdditiveAttention({ units: 16 });
 * const decoderStates = tf.randomNormal([2, 5, 8]), encoderStates = tf.randomNormal([2, 7, 12]);
 * const [context, weights] = attention.apply([decoderStates, encoderStates], { returnAttentionScores: true }) as tf.Tensor[];
 * // context (2, 5, 12), weights (2, 5, 7)
 * ```
 */
export class AdditiveAttention extends ScoredAttention {
  static className = 'AdditiveAttention';
  readonly units: number;
  readonly kernelInitializer: InitializerName;
  private queryKernel!: tf.LayerVariable;
  private keyKernel!: tf.LayerVariable;
  private bias!: tf.LayerVariable;
  private scoreVector!: tf.LayerVariable;

  constructor(args: AdditiveAttentionArgs) {
    super(args);
    assertPositiveInteger(args.units, 'units', this.getClassName());
    this.units = args.units;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(this.kernelInitializer, this.getClassName(), 'kernelInitializer');
  }

  protected buildScore(queryShape: Shape, keyShape: Shape): void {
    const kernel = makeInitializer(this.kernelInitializer, this.getClassName(), 'kernelInitializer');
    this.queryKernel = this.addWeight('query_kernel', [queryShape[2]!, this.units], 'float32', kernel);
    this.keyKernel = this.addWeight('key_kernel', [keyShape[2]!, this.units], 'float32', kernel);
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.scoreVector = this.addWeight('score_vector', [this.units, 1], 'float32', kernel);
  }

  protected score(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    return additiveScore(query, key, {
      queryKernel: this.queryKernel.read() as tf.Tensor2D,
      keyKernel: this.keyKernel.read() as tf.Tensor2D,
      bias: this.bias.read() as tf.Tensor1D,
      scoreVector: this.scoreVector.read() as tf.Tensor2D,
    }); // (batch, T, S)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, kernelInitializer: this.kernelInitializer };
  }
}
tf.serialization.registerClass(AdditiveAttention);

/**
 * `BahdanauAttention` is {@link AdditiveAttention} under the name of its paper (Bahdanau et al.
 * 2015); same weights and equation, its own className for serialization.
 *
 * @example
 * ```ts
 * const attention = new BahdanauAttention({ units: 16 });
 * ```
 */
export class BahdanauAttention extends AdditiveAttention {
  static override className = 'BahdanauAttention';
}
tf.serialization.registerClass(BahdanauAttention);
