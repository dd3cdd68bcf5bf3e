import * as tf from '@tensorflow/tfjs';
import { additiveScore } from '../ops/additive-score';
import { multiplicativeScore } from '../ops/multiplicative-score';
import { assertPositiveInteger, makeInitializer, type InitializerName, type Shape } from './layer-utils';
import { ScoredAttention, type ScoredAttentionArgs } from './scored-attention';

/** Luong's three score functions. */
export type LuongScoreMode = 'dot' | 'general' | 'concat';
const SCORE_MODES: readonly LuongScoreMode[] = ['dot', 'general', 'concat'];

/** Configuration of {@link LuongAttention}. */
export interface LuongAttentionArgs extends ScoredAttentionArgs {
  /** `dot`: qᵀk; `general`: qᵀWk; `concat`: vᵀ tanh(W[q; k]). Default `general`. */
  scoreMode?: LuongScoreMode;
  /** Hidden width of the `concat` score. Default: the key width. */
  units?: number;
  /** Initializer of the score weights. Default `glorotUniform`. */
  kernelInitializer?: InitializerName;
}

/**
 * Global (multiplicative) attention of Luong, Pham & Manning 2015, "Effective Approaches to
 * Attention-based Neural Machine Translation", eq. (8):
 *
 *   score(q, k) = qᵀk (dot) | qᵀ W k (general) | vᵀ tanh(W [q; k]) (concat)
 *
 * then `weights = softmax(scores)` over every source position (global attention) and
 * `context = weights · value`. Weights: `general` has `kernel` W `(queryDim, keyDim)`; `concat`
 * has `concat_kernel` W `(queryDim + keyDim, units)` and `score_vector` v `(units, 1)`. `dot`
 * needs queryDim = keyDim. Call as `apply([query, value, key?], options)`, see {@link ScoredAttention}.
 *
 * @example
 * ```ts
 * const attention = new LuongAttention({ scoreMode: 'general' });
 * const context = attention.apply([decoderStates, encoderStates]) as tf.Tensor; // (batch, T, encoderDim)
 * ```
 */
export class LuongAttention extends ScoredAttention {
  static className = 'LuongAttention';
  readonly scoreMode: LuongScoreMode;
  readonly units: number | undefined;
  readonly kernelInitializer: InitializerName;
  private kernel?: tf.LayerVariable;
  private scoreVector?: tf.LayerVariable;

  constructor(args: LuongAttentionArgs = {}) {
    super(args);
    const where = this.getClassName();
    this.scoreMode = args.scoreMode ?? 'general';
    if (!SCORE_MODES.includes(this.scoreMode)) throw new Error(`${where}: scoreMode must be one of ${SCORE_MODES.join(', ')}; got ${String(args.scoreMode)}`);
    if (args.units !== undefined && args.units !== null) assertPositiveInteger(args.units, 'units', where);
    this.units = args.units ?? undefined;
    this.kernelInitializer = args.kernelInitializer ?? 'glorotUniform';
    makeInitializer(this.kernelInitializer, where, 'kernelInitializer');
  }

  protected buildScore(queryShape: Shape, keyShape: Shape): void {
    const [queryDim, keyDim] = [queryShape[2]!, keyShape[2]!];
    const initializer = makeInitializer(this.kernelInitializer, this.getClassName(), 'kernelInitializer');
    if (this.scoreMode === 'dot' && queryDim !== keyDim) {
      throw new Error(`${this.getClassName()}: scoreMode 'dot' needs equal query and key widths; got query [${queryShape}] and key [${keyShape}]`);
    }
    if (this.scoreMode === 'general') this.kernel = this.addWeight('kernel', [queryDim, keyDim], 'float32', initializer);
    if (this.scoreMode === 'concat') {
      const units = this.units ?? keyDim;
      this.kernel = this.addWeight('concat_kernel', [queryDim + keyDim, units], 'float32', initializer);
      this.scoreVector = this.addWeight('score_vector', [units, 1], 'float32', initializer);
    }
  }

  protected score(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    if (this.scoreMode === 'dot') return multiplicativeScore(query, key); // (batch, T, S)
    if (this.scoreMode === 'general') return multiplicativeScore(query, key, this.kernel!.read() as tf.Tensor2D); // (batch, T, S)
    // concat: W[q; k] = W_q·q + W_k·k with W split by rows: the additive score without bias.
    return tf.tidy(() => {
      const kernel = this.kernel!.read();
      const queryDim = query.shape[2];
      return additiveScore(query, key, {
        queryKernel: kernel.slice([0, 0], [queryDim, -1]) as tf.Tensor2D, // (queryDim, units)
        keyKernel: kernel.slice([queryDim, 0], [-1, -1]) as tf.Tensor2D, // (keyDim, units)
        scoreVector: this.scoreVector!.read() as tf.Tensor2D,
      }); // (batch, T, S)
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scoreMode: this.scoreMode, units: this.units ?? null, kernelInitializer: this.kernelInitializer };
  }
}
tf.serialization.registerClass(LuongAttention);
