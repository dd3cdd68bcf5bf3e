/**
 * A running batched decoder, as the samplers see it: rows of hypotheses (batch × beam), each
 * stepped with one token, reordered when beams branch. {@link Seq2Seq} makes one per `generate()`
 * call; tests can hand-build one to check a sampler on a constructed distribution.
 *
 * @example
 * ```ts
 * // A session whose next-token log-probabilities do not depend on the prefix:
 * const session: DecodingSession = {
 *   rows: 1, vocabSize: 4, heads: 1, sourceLength: 1,
 *   step: async () => ({ logProbs: Float32Array.from([-9, -9, -9, 0]), attention: Float32Array.from([1]) }),
 *   reorder: () => undefined,
 * };
 * ```
 */
export interface DecodingSession {
  /** Rows stepped together. */
  readonly rows: number;
  /** Target vocabulary size V. */
  readonly vocabSize: number;
  /** Attention maps per step and row (A). */
  readonly heads: number;
  /** Padded source length S. */
  readonly sourceLength: number;
  /**
   * Feeds one token per row; resolves to next-token log-probabilities `rows·V` (row-major) and
   * attention `rows·A·S` of this step.
   */
  step(tokens: Int32Array): Promise<{ logProbs: Float32Array; attention: Float32Array }>;
  /** Row r of the new state is row `rows[r]` of the current one. */
  reorder(rows: readonly number[]): void;
}

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
