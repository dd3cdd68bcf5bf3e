import { logSumExpRow, startTokensOf, type DecoderSession, type GeneratedSequence, type SamplerOptions } from './decoder-session';

/**
 * Batched greedy decoding: every row takes its most probable next token (lowest id on ties)
 * until it emits `endId` or reaches `maxLength`. Works on any {@link DecoderSession}.
 *
 * @example
 * ```ts
 * const [best] = await greedySearch(session, { startTokens: 2, endId: 3, maxLength: 20 });
 * best.tokens; // e.g. [17, 5, 9]
 * ```
 */
export async function greedySearch<Trace = undefined>(session: DecoderSession<Trace>, options: SamplerOptions): Promise<GeneratedSequence<Trace>[]> {
  const next = startTokensOf(session, options, 'greedySearch');
  const { endId, maxLength } = options;
  const v = session.vocabSize;
  const results = Array.from({ length: session.rows }, () => ({ tokens: [] as number[], logProb: 0, finished: false, traces: [] as Trace[] }));
  for (let t = 0; t < maxLength && results.some((r) => !r.finished); t++) {
    const { logits, trace } = await session.step(next);
    results.forEach((result, row) => {
      if (result.finished) return;
      let best = 0;
      for (let k = 1; k < v; k++) if (logits[row * v + k]! > logits[row * v + best]!) best = k;
      result.logProb += logits[row * v + best]! - logSumExpRow(logits, row, v); // log softmax of the chosen token
      if (trace) result.traces.push(trace(row));
      if (best === endId) result.finished = true;
      else result.tokens.push(best);
      next[row] = best;
    });
  }
  return results.map(({ tokens, logProb, finished, traces }) => ({ tokens, logProb, score: logProb, finished, traces }));
}
