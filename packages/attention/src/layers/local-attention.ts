import * as tf from '@tensorflow/tfjs';
import { windowMask } from '../masks/window-mask';
import { assertPositiveInteger, denseLastAxis, makeInitializer, type Shape } from './layer-utils';
import { LuongAttention, type LuongAttentionArgs } from './luong-attention';

/** Luong's two local alignments. */
export type LocalAttentionMode = 'local-m' | 'local-p';

/** Configuration of {@link LocalAttention}. */
export interface LocalAttentionArgs extends LuongAttentionArgs {
  /** Half-width D of the window `[pₜ − D, pₜ + D]`. */
  window: number;
  /** `local-m`: pₜ = t (monotonic); `local-p`: pₜ predicted from the query. Default `local-p`. */
  mode?: LocalAttentionMode;
  /** Hidden width of local-p's position predictor. Default: the query width. */
  predictorUnits?: number;
}

/**
 * Local attention of Luong et al. 2015 (§3.2): each query attends only to a window of 2D + 1
 * source positions around an aligned position pₜ, with one of Luong's scores ({@link LuongAttention}).
 * - `local-m` (monotonic): pₜ = t, weights = softmax over the window (exactly zero outside).
 * - `local-p` (predictive), eq. (9)-(10): pₜ = S · sigmoid(v_pᵀ tanh(W_p qₜ)), and the windowed
 *   softmax is multiplied by a Gaussian `exp(−(s − pₜ)² / 2σ²)`, σ = D/2, so pₜ is trained by
 *   backpropagation. Weights `position_kernel` W_p `(queryDim, predictorUnits)` and
 *   `position_vector` v_p `(predictorUnits, 1)`.
 * A window covering the whole source (D ≥ S) with `local-m` is global attention.
 *
 * @example
 * ```ts
 * const attention = new LocalAttention({ window: 2, mode: 'local-p', scoreMode: 'general' });
 * const [context, weights] = attention.apply([decoderStates, encoderStates], { returnAttentionScores: true }) as tf.Tensor[];
 * ```
 */
export class LocalAttention extends LuongAttention {
  static override className = 'LocalAttention';
  readonly window: number;
  readonly mode: LocalAttentionMode;
  readonly predictorUnits: number | undefined;
  private positionKernel?: tf.LayerVariable;
  private positionVector?: tf.LayerVariable;

  constructor(args: LocalAttentionArgs) {
    super(args);
    const where = this.getClassName();
    if (!Number.isInteger(args.window) || args.window < 0) throw new Error(`${where}: window must be a non-negative integer; got ${args.window}`);
    this.window = args.window;
    this.mode = args.mode ?? 'local-p';
    if (this.mode !== 'local-m' && this.mode !== 'local-p') throw new Error(`${where}: mode must be local-m or local-p; got ${String(args.mode)}`);
    if (this.mode === 'local-p' && this.window < 1) throw new Error(`${where}: local-p needs window >= 1 (σ = window / 2); got ${args.window}`);
    if (args.predictorUnits !== undefined && args.predictorUnits !== null) assertPositiveInteger(args.predictorUnits, 'predictorUnits', where);
    this.predictorUnits = args.predictorUnits ?? undefined;
  }

  protected override buildScore(queryShape: Shape, keyShape: Shape): void {
    super.buildScore(queryShape, keyShape);
    if (this.mode === 'local-p') {
      const units = this.predictorUnits ?? queryShape[2]!;
      const initializer = makeInitializer(this.kernelInitializer, this.getClassName(), 'kernelInitializer');
      this.positionKernel = this.addWeight('position_kernel', [queryShape[2]!, units], 'float32', initializer);
      this.positionVector = this.addWeight('position_vector', [units, 1], 'float32', initializer);
    }
  }

  /** local-p's aligned source position pₜ ∈ [0, S], `(batch, T, 1)`. */
  alignedPositions(query: tf.Tensor3D, keyLength: number): tf.Tensor3D {
    return tf.tidy(() => {
      const hidden = tf.tanh(denseLastAxis(query, this.positionKernel!.read() as tf.Tensor2D)); // (batch, T, units)
      return tf.mul(tf.sigmoid(denseLastAxis(hidden, this.positionVector!.read() as tf.Tensor2D)), keyLength) as tf.Tensor3D; // (batch, T, 1)
    });
  }

  protected override ownMask(query: tf.Tensor3D, keyLength: number): tf.Tensor {
    if (this.mode === 'local-m') return windowMask(query.shape[1], keyLength, this.window); // (T, S)
    const distance = tf.abs(tf.sub(tf.range(0, keyLength).reshape([1, 1, keyLength]), this.alignedPositions(query, keyLength))); // (batch, T, S)
    // (batch, T, S) float 0/1: the window |s − pₜ| < D (pₜ is real, so the edge has measure zero);
    // tf.step has a (zero) gradient, a comparison op would break tf.grad through pₜ.
    return tf.step(tf.sub(this.window, distance));
  }

  protected override reweight(weights: tf.Tensor3D, query: tf.Tensor3D, keyLength: number): tf.Tensor3D {
    if (this.mode === 'local-m') return weights;
    const sigma = this.window / 2;
    const offset = tf.sub(tf.range(0, keyLength).reshape([1, 1, keyLength]), this.alignedPositions(query, keyLength)); // (batch, T, S): s − pₜ
    const gaussian = tf.exp(tf.div(tf.neg(tf.square(offset)), 2 * sigma * sigma)); // (batch, T, S)
    return tf.mul(weights, gaussian);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), window: this.window, mode: this.mode, predictorUnits: this.predictorUnits ?? null };
  }
}
tf.serialization.registerClass(LocalAttention);
