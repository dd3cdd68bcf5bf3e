import { attentionRow, transposeSteps, type DecodedSequence, type DecodingSession } from './decoding-session';

/**
 * Options of {@link greedySearch}.
 *
 * @example
 * ```ts
 * const options: GreedySearchOptions = { bosId: 2, eosId: 3, maxLength: 20 };
 * ```
 */
export interface GreedySearchOptions {
  /** Start token id fed first. */
  bosId: number;
  /** End token id; a row stops when it emits it. */
  eosId: number;
  /** Most tokens emitted per row (end token included). */
  maxLength: number;
}

/**
 * Batched greedy decoding: every row takes its most probable next token (lowest id on ties)
 * until it emits the end token or reaches `maxLength`.
 *
 * @example
 * ```ts
 * const [best] = await greedySearch(session, { bosId: 2, eosId: 3, maxLength: 20 });
 * best.tokens; // e.g. [17, 5, 9]
 * ```
 */
export async function greedySearch(session: DecodingSession, options: GreedySearchOptions): Promise<DecodedSequence[]> {
  const { bosId, eosId, maxLength } = options;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`greedySearch: maxLength must be a positive integer; got ${maxLength}`);
  const { rows, vocabSize: v, heads, sourceLength } = session;
  const results = Array.from({ length: rows }, () => ({ tokens: [] as number[], logProb: 0, finished: false, steps: [] as number[][][] }));
  const next = new Int32Array(rows).fill(bosId);
  for (let t = 0; t < maxLength && results.some((r) => !r.finished); t++) {
    const { logProbs, attention } = await session.step(next);
    results.forEach((result, row) => {
      if (result.finished) return;
      let best = 0;
      for (let k = 1; k < v; k++) if (logProbs[row * v + k]! > logProbs[row * v + best]!) best = k;
      result.logProb += logProbs[row * v + best]!;
      result.steps.push(attentionRow(attention, row, heads, sourceLength));
      if (best === eosId) result.finished = true;
      else result.tokens.push(best);
      next[row] = best;
    });
  }
  return results.map(({ tokens, logProb, finished, steps }) => ({ tokens, logProb, score: logProb, finished, alignment: transposeSteps(steps, heads) }));
}
