import { SeededRandom } from '@heed/training';
import { decodeRows, logSumExpRow, type DecoderSession, type GeneratedSequence, type SamplerOptions } from './decoder-session';

/**
 * Options of {@link multinomialSample} (Hugging Face's `do_sample=True` with `temperature`, `top_k`, `top_p`).
 *
 * @example
 * ```ts
 * const options: MultinomialSampleOptions = { startTokens: 2, endId: 3, maxLength: 40, temperature: 0.8, topK: 50, topP: 0.95, seed: 1 };
 * ```
 */
export interface MultinomialSampleOptions extends SamplerOptions {
  /** Divides the logits before the softmax: below 1 sharper, above 1 flatter. Must be positive. Default 1. */
  temperature?: number;
  /** Keep only the k most probable tokens (ties broken by the lower id). Default: all. */
  topK?: number;
  /** Nucleus sampling (Holtzman et al. 2020): keep the most probable tokens until their probability reaches p. In (0, 1]. Default 1. */
  topP?: number;
  /** Seed of the generator (mulberry32): the same seed gives the same tokens. Default 0. */
  seed?: number;
}

/**
 * The distribution {@link multinomialSample} draws from, for one row of logits: log-probabilities
 * after temperature, top-k and top-p, `-Infinity` for the tokens filtered out (at least one is kept).
 *
 * @example
 * ```ts
 * nextTokenLogProbs(Float32Array.from([2, 1, 0, -1]), { topK: 2 }); // [-0.31, -1.31, -Infinity, -Infinity]
 * ```
 */
export function nextTokenLogProbs(logits: ArrayLike<number>, options: Pick<MultinomialSampleOptions, 'temperature' | 'topK' | 'topP'> = {}): Float64Array {
  const { temperature = 1, topK, topP = 1 } = options;
  const v = logits.length;
  const scaled = Float64Array.from({ length: v }, (_, k) => logits[k]! / temperature);
  const order = Array.from({ length: v }, (_, k) => k).sort((x, y) => scaled[y]! - scaled[x]! || x - y); // most probable first
  const keep = new Uint8Array(v);
  let kept = topK === undefined ? v : Math.min(topK, v);
  if (topP < 1) {
    const logTotal = logSumExpRow(Float64Array.from(order.slice(0, kept), (k) => scaled[k]!), 0, kept);
    let cumulative = 0;
    for (let i = 0; i < kept; i++) {
      cumulative += Math.exp(scaled[order[i]!]! - logTotal);
      if (cumulative >= topP) {
        kept = i + 1; // the token that crosses p stays
        break;
      }
    }
  }
  for (let i = 0; i < kept; i++) keep[order[i]!] = 1;
  const masked = Float64Array.from(scaled, (value, k) => (keep[k] ? value : -Infinity));
  const logTotal = logSumExpRow(masked, 0, v);
  return masked.map((value) => value - logTotal);
}

/**
 * Batched random sampling on any {@link DecoderSession}: each row draws its next token from the
 * softmax of its logits after temperature, top-k and top-p ({@link nextTokenLogProbs}), with a
 * seeded generator, until it emits an end id (`endId`: one or several) or reaches `maxLength`. Rows draw in order at each step,
 * so a seed gives the same tokens on every backend that gives the same logits. `logProb` sums the
 * drawn tokens' log-probabilities under the filtered distribution.
 *
 * @example
 * ```ts
 * const [text] = await multinomialSample(session, { startTokens: 50256, maxLength: 64, temperature: 0.9, topP: 0.95, seed: 7 });
 * ```
 */
export async function multinomialSample<Trace = undefined>(session: DecoderSession<Trace>, options: MultinomialSampleOptions): Promise<GeneratedSequence<Trace>[]> {
  const where = 'multinomialSample';
  const { temperature = 1, topK, topP = 1, seed = 0 } = options;
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`${where}: temperature must be a positive number; got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new RangeError(`${where}: topK must be a positive integer; got ${topK}`);
  if (!(typeof topP === 'number' && topP > 0 && topP <= 1)) throw new RangeError(`${where}: topP must be in (0, 1]; got ${topP}`);
  const random = new SeededRandom(seed);
  const v = session.vocabSize;
  return decodeRows(session, options, where, (logits, row) => {
    const logProbs = nextTokenLogProbs(logits.subarray(row * v, (row + 1) * v), { temperature, topK, topP });
    const u = random.next();
    let token = -1;
    let cumulative = 0;
    for (let k = 0; k < v; k++) {
      if (logProbs[k] === -Infinity) continue;
      token = k; // the last kept token takes any rounding remainder
      cumulative += Math.exp(logProbs[k]!);
      if (u < cumulative) break;
    }
    return { token, logProb: logProbs[token]! };
  });
}
