import { decodeRows, logSumExpRow, type DecoderSession, type GeneratedSequence, type SamplerOptions } from './decoder-session';

/**
 * Batched greedy decoding: every row takes its most probable next token (lowest id on ties)
 * until it emits an end id (`endId`: one or several) or reaches `maxLength`. Works on any {@link DecoderSession}.
 *
 * @example
 * ```ts
 * const [best] = await greedySearch(session, { startTokens: 2, endId: 3, maxLength: 20 });
 * best.tokens; // e.g. [17, 5, 9]
 * ```
 */
export async function greedySearch<Trace = undefined>(session: DecoderSession<Trace>, options: SamplerOptions): Promise<GeneratedSequence<Trace>[]> {
  const v = session.vocabSize;
  return decodeRows(session, options, 'greedySearch', (logits, row) => {
    let best = 0;
    for (let k = 1; k < v; k++) if (logits[row * v + k]! > logits[row * v + best]!) best = k;
    return { token: best, logProb: logits[row * v + best]! - logSumExpRow(logits, row, v) }; // log softmax of the chosen token
  });
}
