/**
 * One decoded sequence.
 *
 * @example
 * ```ts
 * const [best] = await model.generate([[5, 6, 7]]);
best.tokens; best.score; best.alignment[0]; // (steps, S) for RNN models
 * ```
 */
export interface DecodedSequence {
  /** Output ids, without the start and end tokens. */
  tokens: number[];
  /** Sum of the log-probabilities of the emitted tokens (end token included when emitted). */
  logProb: number;
  /** The ranking score: `logProb / length^lengthPenalty` for beam search, `logProb` for greedy. */
  score: number;
  /** Whether the end token was emitted (false when stopped by the maximum length). */
  finished: boolean;
  /** Attention per emitted token (end token included): `[A][steps][S]`. */
  alignment: number[][][];
}

/** Rows of `attention (rows·A·S)` for row `row` as `[A][S]`. */
export function attentionRow(attention: Float32Array, row: number, heads: number, sourceLength: number): number[][] {
  const out: number[][] = [];
  for (let a = 0; a < heads; a++) {
    const start = (row * heads + a) * sourceLength;
    out.push(Array.from(attention.subarray(start, start + sourceLength)));
  }
  return out;
}

/** `[steps][A][S]` → `[A][steps][S]`. */
export function transposeSteps(steps: readonly number[][][], heads: number): number[][][] {
  return Array.from({ length: heads }, (_, a) => steps.map((step) => step[a]!));
}
