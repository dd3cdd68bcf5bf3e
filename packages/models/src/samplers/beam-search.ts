import { endIdsOf, logSoftmaxRow, startTokensOf, type DecoderSession, type GeneratedSequence, type SamplerOptions } from './decoder-session';

/**
 * Options of {@link beamSearch}.
 *
 * @example
 * ```ts
 * const options: BeamSearchOptions = { startTokens: 2, endId: 3, maxLength: 20, beamSize: 4, lengthPenalty: 1 };
 * // transformers' generate(num_beams=4, eos_token_id=[50256, 198]) on log-probabilities a session already processed:
 * const hf: BeamSearchOptions = { startTokens: 50256, endId: [50256, 198], maxLength: 20, beamSize: 4, scorer: 'transformers', earlyStopping: false, normalize: false };
 * ```
 */
export interface BeamSearchOptions extends SamplerOptions {
  /** Hypotheses kept per example; the session must have `batch · beamSize` rows. */
  beamSize: number;
  /** Length normalization α: hypotheses rank by `logProb / length^α`. 0 = raw log-probability. Default 1. */
  lengthPenalty?: number;
  /**
   * How finished hypotheses are collected.
   * - `'heed'` (default; the shipped g2p numbers were measured with it): an end candidate met while the
   *   beam is being refilled is finished; the first `beamSize` finished hypotheses end the example.
   * - `'transformers'`: transformers' BeamSearchScorer. An end candidate ranked below `beamSize` among the
   *   example's candidates is skipped; the finished list keeps the `beamSize` best by score (a better one
   *   replaces the worst); the example ends as {@link BeamSearchOptions.earlyStopping} says.
   */
  scorer?: 'heed' | 'transformers';
  /**
   * With `scorer: 'transformers'`: transformers' `early_stopping`. `true` ends an example once it has
   * `beamSize` finished hypotheses; `false` (default, as transformers' GenerationConfig) ends it only when
   * the step's best candidate score over (tokens generated so far)^α cannot beat the worst finished one.
   */
  earlyStopping?: boolean;
  /**
   * Whether each step's session values are logits to turn into log-probabilities (default true), or already
   * the per-token scores to add (false), e.g. log-probabilities a logits processor changed afterwards, as
   * transformers' beam search adds them (no renormalization).
   */
  normalize?: boolean;
}

interface Hypothesis<Trace> {
  tokens: number[];
  logProb: number;
  traces: Trace[];
  length: number;
}

type Finished<Trace> = Hypothesis<Trace> & { ended: boolean; endToken?: number };

/**
 * Batched beam search on any {@link DecoderSession}. Rows `b·beamSize … b·beamSize + beamSize − 1`
 * belong to example b (the same input, tiled). Each step expands every live hypothesis by its
 * `max(2, 1 + ends)·beamSize` best tokens (ends = how many end ids, as transformers); candidates
 * ending with an end id (`endId`: one or several) become finished hypotheses, the best `beamSize`
 * others stay live (the session is reordered to them). With the default `scorer: 'heed'` an example
 * stops when it has `beamSize` finished hypotheses; `scorer: 'transformers'` follows transformers'
 * BeamSearchScorer (see {@link BeamSearchOptions.scorer}). At `maxLength` the live ones count as
 * unfinished results; the best by `logProb / length^α` wins (Wu et al. 2016's length normalization
 * without the +5 offset; the length counts the generated tokens, the end token included, as
 * transformers ≥ 4.36 counts them). With `beamSize` 1 and the heed scorer it returns what
 * {@link greedySearch} returns.
 *
 * @example
 * ```ts
 * const results = await beamSearch(session, { startTokens: 2, endId: 3, maxLength: 20, beamSize: 4 });
 * ```
 */
export async function beamSearch<Trace = undefined>(session: DecoderSession<Trace>, options: BeamSearchOptions): Promise<GeneratedSequence<Trace>[]> {
  const { maxLength, beamSize } = options;
  const alpha = options.lengthPenalty ?? 1;
  const scorer = options.scorer ?? 'heed';
  const earlyStopping = options.earlyStopping ?? false;
  const normalize = options.normalize ?? true;
  if (!Number.isInteger(beamSize) || beamSize < 1) throw new RangeError(`beamSearch: beamSize must be a positive integer; got ${beamSize}`);
  if (session.rows % beamSize !== 0) throw new RangeError(`beamSearch: session rows ${session.rows} must be a multiple of beamSize ${beamSize}`);
  if (scorer !== 'heed' && scorer !== 'transformers') throw new RangeError(`beamSearch: scorer must be 'heed' or 'transformers'; got ${String(scorer)}`);
  let next = startTokensOf(session, options, 'beamSearch');
  const ends = endIdsOf(options.endId);
  const firstEnd = ends.values().next().value;
  const v = session.vocabSize;
  const perHypothesis = Math.min(v, Math.max(2, 1 + ends.size) * beamSize);
  const batch = session.rows / beamSize;
  const normalized = (h: { logProb: number; length: number }) => (alpha === 0 ? h.logProb : h.logProb / Math.pow(Math.max(h.length, 1), alpha));
  const alive: Hypothesis<Trace>[][] = Array.from({ length: batch }, () => [{ tokens: [], logProb: 0, traces: [], length: 0 }]);
  const finished: Finished<Trace>[][] = Array.from({ length: batch }, () => []);
  const done = new Array<boolean>(batch).fill(false);
  // transformers' BeamHypotheses.add: keep the beamSize best by score; a newcomer must beat the worst.
  const keepBest = (list: Finished<Trace>[], hypothesis: Finished<Trace>) => {
    if (list.length >= beamSize && !(normalized(hypothesis) > Math.min(...list.map(normalized)))) return;
    list.push(hypothesis);
    list.sort((x, y) => normalized(y) - normalized(x));
    list.length = Math.min(list.length, beamSize);
  };
  for (let t = 0; t < maxLength && done.some((d) => !d); t++) {
    const { logits, trace } = await session.step(next);
    const order: number[] = [];
    const tokens = Int32Array.from(next);
    for (let b = 0; b < batch; b++) {
      const base = b * beamSize;
      if (done[b]) {
        for (let j = 0; j < beamSize; j++) order.push(base);
        continue;
      }
      const candidates: { parent: number; token: number; logProb: number }[] = [];
      alive[b]!.forEach((hypothesis, j) => {
        const scores = normalize ? logSoftmaxRow(logits, base + j, v) : Float64Array.from(logits.subarray((base + j) * v, (base + j + 1) * v)); // (V,)
        const ids = Array.from({ length: v }, (_, k) => k).sort((x, y) => scores[y]! - scores[x]! || x - y);
        for (const token of ids.slice(0, perHypothesis)) candidates.push({ parent: j, token, logProb: hypothesis.logProb + scores[token]! });
      });
      candidates.sort((x, y) => y.logProb - x.logProb || x.parent - y.parent || x.token - y.token);
      const survivors: Hypothesis<Trace>[] = [];
      const parents: number[] = [];
      for (const [rank, candidate] of candidates.entries()) {
        if (survivors.length === beamSize) break;
        const parent = alive[b]![candidate.parent]!;
        const traces = trace ? [...parent.traces, trace(base + candidate.parent)] : parent.traces;
        const length = parent.length + 1;
        if (ends.has(candidate.token)) {
          const hypothesis = { tokens: parent.tokens, logProb: candidate.logProb, traces, length, ended: true, endToken: candidate.token };
          if (scorer === 'transformers') {
            if (rank < beamSize) keepBest(finished[b]!, hypothesis);
          } else if (finished[b]!.length < beamSize) finished[b]!.push(hypothesis);
        } else {
          survivors.push({ tokens: [...parent.tokens, candidate.token], logProb: candidate.logProb, traces, length });
          parents.push(candidate.parent);
        }
      }
      alive[b] = survivors;
      const full = finished[b]!.length >= beamSize;
      const stop = scorer === 'transformers'
        ? full && (earlyStopping || Math.min(...finished[b]!.map(normalized)) >= normalized({ logProb: candidates[0]!.logProb, length: t + 1 }))
        : full;
      if (stop || t === maxLength - 1 || survivors.length === 0) {
        done[b] = true;
        if (scorer === 'transformers') {
          if (!stop) for (const h of survivors) keepBest(finished[b]!, { ...h, ended: false });
        } else if (!full) for (const h of survivors) finished[b]!.push({ ...h, ended: false });
      }
      for (let j = 0; j < beamSize; j++) {
        const slot = j < parents.length ? j : 0;
        order.push(base + (parents[slot] ?? 0));
        tokens[base + j] = survivors[slot]?.tokens.at(-1) ?? firstEnd ?? tokens[base + j]!;
      }
    }
    session.reorder(order);
    next = tokens;
  }
  return finished.map((list) => {
    const ranked = list.map((h) => ({ h, score: normalized(h) })).sort((x, y) => y.score - x.score);
    const best = ranked[0]!;
    return { tokens: best.h.tokens, logProb: best.h.logProb, score: best.score, finished: best.h.ended, ...(best.h.endToken === undefined ? {} : { endToken: best.h.endToken }), traces: best.h.traces };
  });
}
