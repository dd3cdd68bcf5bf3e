import * as tf from '@tensorflow/tfjs';

/** Options of {@link hybridMask}. */
export interface HybridMaskOptions {
  /** Half-width r of the sliding window: query `i` sees keys `|i − j| <= r`. */
  radius: number;
  /**
   * Positions with global attention (Longformer's `global_attention_mask`, BigBird's global
   * tokens, e.g. `[0]` for a `[CLS]` token): such a query row sees every key and such a key
   * column is seen by every query. A position beyond one axis (cross-attention with T ≠ S)
   * applies to the other only. Default none (a plain window).
   */
  globalTokens?: readonly number[];
}

/**
 * A hybrid local + global attention mask `(queryLength, keyLength)`, bool, true = may attend, as
 * Longformer (Beltagy et al. 2020, §3.1) and BigBird's window + global part (Zaheer et al. 2020):
 * the band `|i − j| <= radius` of {@link windowMask}, OR a global query row `i ∈ globalTokens`
 * (attends to everything), OR a global key column `j ∈ globalTokens` (attended to by everything).
 * Combine with {@link paddingMask} / {@link causalMask} through {@link combineMasks}, or use the
 * {@link HybridAttention} layer.
 *
 * @example
 * ```ts
 * hybridMask(5, 5, { radius: 1, globalTokens: [0] }).print();
 * // [[1,1,1,1,1],   row 0 is global: sees every key
 * //  [1,1,1,0,0],   column 0 is global: every query sees it
 * //  [1,1,1,1,0],
 * //  [1,0,1,1,1],
 * //  [1,0,0,1,1]] as bools
 * ```
 */
export function hybridMask(queryLength: number, keyLength: number, { radius, globalTokens = [] }: HybridMaskOptions): tf.Tensor2D {
  for (const [name, value] of [
    ['queryLength', queryLength],
    ['keyLength', keyLength],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`hybridMask: ${name} must be a positive integer; got ${value}`);
  }
  if (!Number.isInteger(radius) || radius < 0) throw new Error(`hybridMask: radius must be a non-negative integer; got ${radius}`);
  if (!Array.isArray(globalTokens)) throw new Error(`hybridMask: globalTokens must be an array of positions; got ${String(globalTokens)}`);
  const limit = Math.max(queryLength, keyLength);
  for (const position of globalTokens) {
    if (!Number.isInteger(position) || position < 0 || position >= limit) {
      throw new Error(`hybridMask: globalTokens must hold integer positions in [0, ${limit}) for (queryLength, keyLength) = (${queryLength}, ${keyLength}); got ${position}`);
    }
  }
  const globalRows = new Uint8Array(queryLength);
  const globalColumns = new Uint8Array(keyLength);
  for (const position of globalTokens) {
    if (position < queryLength) globalRows[position] = 1;
    if (position < keyLength) globalColumns[position] = 1;
  }
  return tf.tidy(() => {
    const rows = tf.range(0, queryLength, 1, 'int32').reshape([queryLength, 1]); // (T, 1)
    const columns = tf.range(0, keyLength, 1, 'int32').reshape([1, keyLength]); // (1, S)
    const band = tf.lessEqual(tf.abs(tf.sub(columns, rows)), radius); // (T, S)
    const global = tf.logicalOr(tf.tensor2d(globalRows, [queryLength, 1], 'bool'), tf.tensor2d(globalColumns, [1, keyLength], 'bool')); // (T, S)
    return tf.logicalOr(band, global) as tf.Tensor2D; // (T, S)
  });
}
