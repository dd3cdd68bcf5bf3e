import { attentionRow, transposeSteps, type DecodedSequence, type DecodingSession } from './decoding-session';

/**
 * Options of {@link beamSearch}.
 *
 * @example
 * ```ts
 * const options: BeamSearchOptions = { bosId: 2, eosId: 3, maxLength: 20, beamSize: 4, lengthPenalty: 1 };
 * ```
 */
export interface BeamSearchOptions {
  /** Start token id. */
  bosId: number;
  /** End token id. */
  eosId: number;
  /** Most tokens emitted per hypothesis (end token included). */
  maxLength: number;
  /** Hypotheses kept per example; the session must have `batch · beamSize` rows. */
  beamSize: number;
  /** Length normalization α: hypotheses rank by `logProb / length^α`. 0 = raw log-probability. Default 1. */
  lengthPenalty?: number;
}

interface Hypothesis {
  tokens: number[];
  logProb: number;
  steps: number[][][];
}

/**
 * Batched beam search. Rows `b·beamSize … b·beamSize + beamSize − 1` of the session belong to
 * example b (the same source, tiled). Each step expands every live hypothesis by its `2·beamSize`
 * best tokens; candidates ending with the end token become finished hypotheses, the best
 * `beamSize` others stay live. An example stops when it has `beamSize` finished hypotheses or at
 * `maxLength` (live ones then count as unfinished results); the best by `logProb / length^α` wins.
 * With `beamSize` 1 it returns what {@link greedySearch} returns.
 *
 * @example
 * ```ts
 * const results = await beamSearch(session, { bosId: 2, eosId: 3, maxLength: 20, beamSize: 4 });
 * ```
 */
export async function beamSearch(session: DecodingSession, options: BeamSearchOptions): Promise<DecodedSequence[]> {
  const { bosId, eosId, maxLength, beamSize } = options;
  const alpha = options.lengthPenalty ?? 1;
  if (!Number.isInteger(beamSize) || beamSize < 1) throw new RangeError(`beamSearch: beamSize must be a positive integer; got ${beamSize}`);
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`beamSearch: maxLength must be a positive integer; got ${maxLength}`);
  if (session.rows % beamSize !== 0) throw new RangeError(`beamSearch: session rows ${session.rows} must be a multiple of beamSize ${beamSize}`);
  const { vocabSize: v, heads, sourceLength } = session;
  const batch = session.rows / beamSize;
  const normalized = (h: { logProb: number; length: number }) => (alpha === 0 ? h.logProb : h.logProb / Math.pow(Math.max(h.length, 1), alpha));
  const alive: Hypothesis[][] = Array.from({ length: batch }, () => [{ tokens: [], logProb: 0, steps: [] }]);
  const finished: (Hypothesis & { ended: boolean })[][] = Array.from({ length: batch }, () => []);
  const done = new Array<boolean>(batch).fill(false);
  let next = new Int32Array(session.rows).fill(bosId);
  for (let t = 0; t < maxLength && done.some((d) => !d); t++) {
    const { logProbs, attention } = await session.step(next);
    const order: number[] = [];
    const tokens = new Int32Array(session.rows).fill(eosId);
    for (let b = 0; b < batch; b++) {
      const base = b * beamSize;
      if (done[b]) {
        for (let j = 0; j < beamSize; j++) order.push(base);
        continue;
      }
      const candidates: { parent: number; token: number; logProb: number }[] = [];
      alive[b]!.forEach((hypothesis, j) => {
        const row = base + j;
        const ids = Array.from({ length: v }, (_, k) => k).sort((x, y) => logProbs[row * v + y]! - logProbs[row * v + x]! || x - y);
        for (const token of ids.slice(0, 2 * beamSize)) candidates.push({ parent: j, token, logProb: hypothesis.logProb + logProbs[row * v + token]! });
      });
      candidates.sort((x, y) => y.logProb - x.logProb || x.parent - y.parent || x.token - y.token);
      const survivors: Hypothesis[] = [];
      const parents: number[] = [];
      for (const candidate of candidates) {
        if (survivors.length === beamSize) break;
        const parent = alive[b]![candidate.parent]!;
        const steps = [...parent.steps, attentionRow(attention, base + candidate.parent, heads, sourceLength)];
        if (candidate.token === eosId) {
          if (finished[b]!.length < beamSize) finished[b]!.push({ tokens: parent.tokens, logProb: candidate.logProb, steps, ended: true });
        } else {
          survivors.push({ tokens: [...parent.tokens, candidate.token], logProb: candidate.logProb, steps });
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
        tokens[base + j] = survivors[slot]?.tokens.at(-1) ?? eosId;
      }
    }
    session.reorder(order);
    next = tokens;
  }
  return finished.map((list) => {
    const ranked = list
      .map((h) => ({ h, score: normalized({ logProb: h.logProb, length: h.steps.length }) }))
      .sort((x, y) => y.score - x.score);
    const best = ranked[0]!;
    return {
      tokens: best.h.tokens,
      logProb: best.h.logProb,
      score: best.score,
      finished: best.h.ended,
      alignment: transposeSteps(best.h.steps, heads),
    };
  });
}
