import * as tf from '@tensorflow/tfjs';
import { hybridMask } from '../masks/hybrid-mask';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention';

/** Configuration of {@link HybridAttention}: {@link MultiHeadAttention}'s plus the pattern. */
export interface HybridAttentionArgs extends MultiHeadAttentionArgs {
  /** Half-width r of the sliding window: query `i` sees keys `|i − j| <= r`. */
  radius: number;
  /** Positions with global attention in both directions (e.g. `[0]` for `[CLS]`). Default none. */
  globalTokens?: number[];
}

/**
 * Hybrid local + global multi-head attention, as Longformer (Beltagy et al. 2020, "Longformer:
 * The Long-Document Transformer", §3.1) and the window + global part of BigBird (Zaheer et al.
 * 2020): every query attends to a sliding window of keys `|i − j| <= radius`, and the
 * `globalTokens` positions attend to every key and are attended to by every query.
 *
 * It is {@link MultiHeadAttention} (same weights, Keras names, call and graph use) with
 * {@link hybridMask} `(T, S)` combined (logical AND) with any `attentionMask` and
 * `useCausalMask` given: `HybridAttention(args).apply(x, {attentionMask})` equals
 * `MultiHeadAttention(args).apply(x, {attentionMask: combineMasks(attentionMask, hybridMask(T, S,
 * args))})` with the same weights. The mask is built per call, so sequences of any length work
 * (a global position must lie within the query or key length). Like the masked dense path, it
 * still computes all (T, S) scores; the saving of Longformer's banded kernels is not reproduced.
 *
 * @example
 * ```ts
 * const attention = new HybridAttention({ numHeads: 4, keyDim: 16, radius: 2, globalTokens: [0] });
 * const tokens = tf.randomNormal([2, 32, 64]); // (batch, time, dim); token 0 is [CLS]
 * const [output, scores] = attention.apply(tokens, { attentionMask: paddingMask([32, 20]), returnAttentionScores: true }) as tf.Tensor[];
 * // output (2, 32, 64); scores (2, 4, 32, 32): zero outside the band, except row 0 and column 0
 * ```
 */
export class HybridAttention extends MultiHeadAttention {
  static override className = 'HybridAttention';
  readonly radius: number;
  readonly globalTokens: number[];

  constructor(args: HybridAttentionArgs) {
    super(args);
    const where = this.getClassName();
    if (!Number.isInteger(args.radius) || args.radius < 0) throw new Error(`${where}: radius must be a non-negative integer; got ${args.radius}`);
    const globalTokens = args.globalTokens ?? [];
    if (!Array.isArray(globalTokens) || globalTokens.some((position) => !Number.isInteger(position) || position < 0)) {
      throw new Error(`${where}: globalTokens must be an array of non-negative integer positions; got ${JSON.stringify(args.globalTokens)}`);
    }
    this.radius = args.radius;
    this.globalTokens = [...new Set(globalTokens)].sort((a, b) => a - b);
  }

  protected override ownMask(queryLength: number, keyLength: number): tf.Tensor {
    const limit = Math.max(queryLength, keyLength);
    const outside = this.globalTokens.find((position) => position >= limit);
    if (outside !== undefined) {
      throw new Error(`${this.getClassName()}: global token ${outside} lies beyond the sequence: (queryLength, keyLength) = (${queryLength}, ${keyLength})`);
    }
    return hybridMask(queryLength, keyLength, { radius: this.radius, globalTokens: this.globalTokens }); // (T, S)
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), radius: this.radius, globalTokens: [...this.globalTokens] };
  }
}
tf.serialization.registerClass(HybridAttention);
