import { logSoftmaxRow, startTokensOf, type DecoderSession, type GeneratedSequence, type SamplerOptions } from './decoder-session';

/**
 * Options of {@link beamSearch}.
 *
 * @example
 * ```ts
 * const options: BeamSearchOptions = { startTokens: 2, endId: 3, maxLength: 20, beamSize: 4, lengthPenalty: 1 };
 * ```
 */
export interface BeamSearchOptions extends SamplerOptions {
  /** Hypotheses kept per example; the session must have `batch · beamSize` rows. */
  beamSize: number;
  /** Length normalization α: hypotheses rank by `logProb / length^α`. 0 = raw log-probability. Default 1. */
  lengthPenalty?: number;
}

interface Hypothesis<Trace> {
  tokens: number[];
  logProb: number;
  traces: Trace[];
  length: number;
}

/**
 * Batched beam search on any {@link DecoderSession}. Rows `b·beamSize … b·beamSize + beamSize − 1`
 * belong to example b (the same input, tiled). Each step expands every live hypothesis by its
 * `2·beamSize` best tokens; candidates ending with `endId` become finished hypotheses, the best
 * `beamSize` others stay live (the session is reordered to them). An example stops when it has
 * `beamSize` finished hypotheses or at `maxLength` (live ones then count as unfinished results);
 * the best by `logProb / length^α` wins (Wu et al. 2016's length normalization without the +5
 * offset). With `beamSize` 1 it returns what {@link greedySearch} returns.
 *
 * @example
 * ```ts
 * const results = await beamSearch(session, { startTokens: 2, endId: 3, maxLength: 20, beamSize: 4 });
 * ```
 */
export async function beamSearch<Trace = undefined>(session: DecoderSession<Trace>, options: BeamSearchOptions): Promise<GeneratedSequence<Trace>[]> {
  const { endId, maxLength, beamSize } = options;
  const alpha = options.lengthPenalty ?? 1;
  if (!Number.isInteger(beamSize) || beamSize < 1) throw new RangeError(`beamSearch: beamSize must be a positive integer; got ${beamSize}`);
  if (session.rows % beamSize !== 0) throw new RangeError(`beamSearch: session rows ${session.rows} must be a multiple of beamSize ${beamSize}`);
  let next = startTokensOf(session, options, 'beamSearch');
  const v = session.vocabSize;
  const batch = session.rows / beamSize;
  const normalized = (h: { logProb: number; length: number }) => (alpha === 0 ? h.logProb : h.logProb / Math.pow(Math.max(h.length, 1), alpha));
  const alive: Hypothesis<Trace>[][] = Array.from({ length: batch }, () => [{ tokens: [], logProb: 0, traces: [], length: 0 }]);
  const finished: (Hypothesis<Trace> & { ended: boolean })[][] = Array.from({ length: batch }, () => []);
  const done = new Array<boolean>(batch).fill(false);
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
        const logProbs = logSoftmaxRow(logits, base + j, v); // (V,)
        const ids = Array.from({ length: v }, (_, k) => k).sort((x, y) => logProbs[y]! - logProbs[x]! || x - y);
        for (const token of ids.slice(0, 2 * beamSize)) candidates.push({ parent: j, token, logProb: hypothesis.logProb + logProbs[token]! });
      });
      candidates.sort((x, y) => y.logProb - x.logProb || x.parent - y.parent || x.token - y.token);
      const survivors: Hypothesis<Trace>[] = [];
      const parents: number[] = [];
      for (const candidate of candidates) {
        if (survivors.length === beamSize) break;
        const parent = alive[b]![candidate.parent]!;
        const traces = trace ? [...parent.traces, trace(base + candidate.parent)] : parent.traces;
        const length = parent.length + 1;
        if (candidate.token === endId) {
          if (finished[b]!.length < beamSize) finished[b]!.push({ tokens: parent.tokens, logProb: candidate.logProb, traces, length, ended: true });
        } else {
          survivors.push({ tokens: [...parent.tokens, candidate.token], logProb: candidate.logProb, traces, length });
          parents.push(candidate.parent);
        }
      }
      alive[b] = survivors;
      if (finished[b]!.length >= beamSize || t === maxLength - 1 || survivors.length === 0) {
        done[b] = true;
        if (finished[b]!.length < beamSize) for (const h of survivors) finished[b]!.push({ ...h, ended: false });
      }
      for (let j = 0; j < beamSize; j++) {
        const slot = j < parents.length ? j : 0;
        order.push(base + (parents[slot] ?? 0));
        tokens[base + j] = survivors[slot]?.tokens.at(-1) ?? endId ?? tokens[base + j]!;
      }
    }
    session.reorder(order);
    next = tokens;
  }
  return finished.map((list) => {
    const ranked = list.map((h) => ({ h, score: normalized(h) })).sort((x, y) => y.score - x.score);
    const best = ranked[0]!;
    return { tokens: best.h.tokens, logProb: best.h.logProb, score: best.score, finished: best.h.ended, traces: best.h.traces };
  });
}
