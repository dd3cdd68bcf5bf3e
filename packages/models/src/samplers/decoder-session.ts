/**
 * A running batched decoder, as the samplers see it: `rows` hypotheses stepped together, each
 * fed one token per step, reordered when beams branch. Any decoder can offer one (Seq2Seq's
 * `decoderSession`, a decoder-only language model with its key/value cache, a hand-built table
 * in a test); {@link greedySearch}, {@link beamSearch} and {@link multinomialSample} only see this.
 *
 * `Trace` is whatever the decoder reports per row and step besides the logits (Seq2Seq: the
 * attention over the source); samplers keep it with each hypothesis and return it per emitted token.
 *
 * @example
 * ```ts
 * // Next-token logits that do not depend on the prefix:
 * const session: DecoderSession = {
 *   rows: 1, vocabSize: 4,
 *   step: async () => ({ logits: Float32Array.from([0, 0, 0, 9]) }),
 *   reorder: () => undefined,
 * };
 * ```
 */
export interface DecoderSession<Trace = undefined> {
  /** Rows stepped together (batch, or batch × beam for beam search). */
  readonly rows: number;
  /** Vocabulary size V. */
  readonly vocabSize: number;
  /**
   * Feeds one token per row; resolves to the next-token logits `rows·V` (row-major, unnormalized
   * or log-probabilities) and optionally this step's trace of a row.
   */
  step(tokens: Int32Array): Promise<{ logits: Float32Array; trace?: (row: number) => Trace }>;
  /** Row r of the new state is row `order[r]` of the current one. */
  reorder(order: readonly number[]): void;
}

/**
 * One generated sequence.
 *
 * @example
 * ```ts
 * const [best] = await greedySearch(session, { startTokens: 2, endId: 3, maxLength: 20 });
 * best.tokens; best.logProb; best.finished;
 * ```
 */
export interface GeneratedSequence<Trace = undefined> {
  /** Emitted ids, without the start tokens and the end token. */
  tokens: number[];
  /** Sum of the log-probabilities of the emitted tokens (end token included when emitted), under the distribution sampled from. */
  logProb: number;
  /** The ranking score: `logProb / length^lengthPenalty` for beam search, `logProb` otherwise. */
  score: number;
  /** Whether an end token was emitted (false when stopped by `maxLength`). */
  finished: boolean;
  /** The end id that ended it (one of {@link SamplerOptions.endId}); absent when not finished. */
  endToken?: number;
  /** The session's trace per emitted token (end token included); empty when it reports none. */
  traces: Trace[];
}

/**
 * Options every sampler takes.
 *
 * @example
 * ```ts
 * const options: SamplerOptions = { startTokens: 2, endId: 3, maxLength: 40 };
 * const gpt2: SamplerOptions = { startTokens: 50256, endId: [50256, 198], maxLength: 40 }; // several end ids
 * ```
 */
export interface SamplerOptions {
  /** The first token fed to every row (e.g. bos), or one per row. */
  startTokens: number | readonly number[];
  /**
   * A row stops when it emits this id, or any of these ids (transformers' `eos_token_id` as a list:
   * each keeps its own probability, the emitted one is {@link GeneratedSequence.endToken}); none or
   * `[]` = run to `maxLength` (e.g. benchmarks, open-ended text).
   */
  endId?: number | readonly number[];
  /** Most tokens emitted per row (end token included). */
  maxLength: number;
}

/** Checks the shared options against the session; errors name the sampler. @internal */
export function startTokensOf(session: DecoderSession<unknown>, options: SamplerOptions, where: string): Int32Array {
  const { maxLength, endId, startTokens } = options;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`${where}: maxLength must be a positive integer; got ${maxLength}`);
  const v = session.vocabSize;
  const isId = (id: unknown) => Number.isInteger(id) && (id as number) >= 0 && (id as number) < v;
  if (typeof endId === 'number' || (endId !== undefined && !Array.isArray(endId))) {
    if (!isId(endId)) throw new RangeError(`${where}: endId must be an id in [0, ${v}) or a list of them; got ${String(endId)}`);
  } else if (endId !== undefined) {
    const badEnd = endId.findIndex((id) => !isId(id));
    if (badEnd >= 0) throw new RangeError(`${where}: endId[${badEnd}] must be an id in [0, ${v}); got ${endId[badEnd]}`);
  }
  const tokens = typeof startTokens === 'number' ? new Array<number>(session.rows).fill(startTokens) : [...startTokens];
  if (tokens.length !== session.rows) throw new RangeError(`${where}: startTokens has ${tokens.length} ids but the session has ${session.rows} rows`);
  const bad = tokens.findIndex((id) => !isId(id));
  if (bad >= 0) throw new RangeError(`${where}: startTokens[${bad}] must be an id in [0, ${v}); got ${tokens[bad]}`);
  return Int32Array.from(tokens);
}

/** The end ids of {@link SamplerOptions.endId} as a set (empty: none). @internal */
export function endIdsOf(endId: SamplerOptions['endId']): ReadonlySet<number> {
  return new Set(endId === undefined ? [] : typeof endId === 'number' ? [endId] : endId);
}

/** `log Σₖ exp(logits[row, k])` in float64, stable. @internal */
export function logSumExpRow(logits: ArrayLike<number>, row: number, v: number): number {
  let max = -Infinity;
  for (let k = 0; k < v; k++) max = Math.max(max, logits[row * v + k]!);
  if (max === -Infinity) return -Infinity;
  let total = 0;
  for (let k = 0; k < v; k++) total += Math.exp(logits[row * v + k]! - max);
  return max + Math.log(total);
}

/** `log softmax` of row `row` of `logits (rows·V)` in float64. @internal */
export function logSoftmaxRow(logits: ArrayLike<number>, row: number, v: number): Float64Array {
  const logTotal = logSumExpRow(logits, row, v);
  return Float64Array.from({ length: v }, (_, k) => logits[row * v + k]! - logTotal);
}

/**
 * The loop of the one-sequence-per-row samplers: steps the session until every row emitted
 * an end id or `maxLength` tokens; `choose(logits, row)` picks a row's next token and its
 * log-probability. @internal
 */
export async function decodeRows<Trace>(
  session: DecoderSession<Trace>,
  options: SamplerOptions,
  where: string,
  choose: (logits: Float32Array, row: number) => { token: number; logProb: number },
): Promise<GeneratedSequence<Trace>[]> {
  const next = startTokensOf(session, options, where);
  const { maxLength } = options;
  const ends = endIdsOf(options.endId);
  const results = Array.from({ length: session.rows }, () => ({ tokens: [] as number[], logProb: 0, finished: false, endToken: undefined as number | undefined, traces: [] as Trace[] }));
  for (let t = 0; t < maxLength && results.some((r) => !r.finished); t++) {
    const { logits, trace } = await session.step(next);
    results.forEach((result, row) => {
      if (result.finished) return;
      const { token, logProb } = choose(logits, row);
      result.logProb += logProb;
      if (trace) result.traces.push(trace(row));
      if (ends.has(token)) {
        result.finished = true;
        result.endToken = token;
      } else result.tokens.push(token);
      next[row] = token;
    });
  }
  return results.map(({ tokens, logProb, finished, endToken, traces }) => ({ tokens, logProb, score: logProb, finished, ...(endToken === undefined ? {} : { endToken }), traces }));
}
