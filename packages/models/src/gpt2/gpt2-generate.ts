import { SeededRandom } from '@heed/training';
import { beamSearch } from '../samplers/beam-search';
import { greedySearch } from '../samplers/greedy-search';
import { multinomialSample, nextTokenLogProbs } from '../samplers/multinomial-sample';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';
import { Gpt2Session, type Gpt2StepTrace } from './gpt2-session';

/** Options of {@link gpt2Generate} and {@link gpt2Stream} (transformers' GenerationConfig names, camel-cased). */
export interface Gpt2GenerateOptions {
  /** Most tokens generated per row, stop token included. Default 20. */
  readonly maxNewTokens?: number;
  /** Sample (temperature / top-k / top-p, seeded) instead of greedy search. Default false; giving temperature, topK or topP implies it. */
  readonly doSample?: boolean;
  /** Softmax temperature, > 0. Default 1. */
  readonly temperature?: number;
  /** Keep the k most probable tokens. Default all. */
  readonly topK?: number;
  /** Keep the smallest set whose probability reaches p, in (0, 1]. Default 1. */
  readonly topP?: number;
  /** Seed of the sampler (mulberry32): the same seed gives the same tokens. Default 0. */
  readonly seed?: number;
  /** Beam search with this many beams (no streaming: the best beam comes at the end). Default 1. */
  readonly numBeams?: number;
  /** Beam search's length normalization α. Default 1. */
  readonly lengthPenalty?: number;
  /**
   * Beam search's `early_stopping` (transformers' BeamSearchScorer): true ends a prompt's search at
   * `numBeams` finished beams; false (default, as transformers) goes on while a live beam could still win.
   */
  readonly earlyStopping?: boolean;
  /**
   * CTRL repetition penalty (> 0, 1 = off), see {@link Gpt2SessionOptions}: on the logits for greedy
   * search and sampling, on the log-probabilities for beam search (where transformers applies it).
   */
  readonly repetitionPenalty?: number;
  /**
   * Ids that end a row, each with its own probability (transformers' `eos_token_id` as a list). Default
   * `[eos_token_id]` of config.json; `[]` = run to maxNewTokens.
   */
  readonly stopTokens?: readonly number[];
  /** Report each new token's attention over the earlier tokens. Default false. */
  readonly outputAttentions?: boolean;
  /** Use the key/value cache. Default true (false recomputes every step: the reference). */
  readonly useCache?: boolean;
}

/** One streamed token of {@link gpt2Stream}. */
export interface Gpt2StreamedToken {
  /** Which prompt it continues. */
  readonly row: number;
  /** Its index among the row's new tokens (0 = the first). */
  readonly step: number;
  readonly token: number;
  /** Whether it is a stop token (the row ends with it). */
  readonly stop: boolean;
  /** With `outputAttentions`: the attention of the token fed at this step (the previous one) over every earlier token. */
  readonly trace?: Gpt2StepTrace;
}

/** One row's result of {@link gpt2Generate}. */
export interface Gpt2Generated {
  /** The prompt's ids, then the new ones (a stop token included, as transformers' generate returns it). */
  readonly ids: number[];
  /** The new ids alone. */
  readonly newTokens: number[];
  /** Whether it ended with a stop token (false: maxNewTokens reached). */
  readonly finished: boolean;
  /** Sum of the new tokens' log-probabilities under the distribution chosen from. */
  readonly logProb: number;
  /** With `outputAttentions`: one trace per new token. */
  readonly traces: Gpt2StepTrace[];
}

interface Resolved {
  maxNewTokens: number;
  sample: boolean;
  temperature: number;
  topK: number | undefined;
  topP: number;
  seed: number;
  numBeams: number;
  stops: number[];
}

function resolve(model: GPT2LMHeadModel, prompts: readonly (readonly number[])[], options: Gpt2GenerateOptions, where: string): Resolved {
  const { maxNewTokens = 20, temperature, topK, topP, seed = 0, numBeams = 1 } = options;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) throw new RangeError(`${where}: maxNewTokens must be a positive integer; got ${maxNewTokens}`);
  if (temperature !== undefined && !(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) throw new RangeError(`${where}: temperature must be a positive number; got ${temperature}`);
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new RangeError(`${where}: topK must be a positive integer; got ${topK}`);
  if (topP !== undefined && !(typeof topP === 'number' && topP > 0 && topP <= 1)) throw new RangeError(`${where}: topP must be in (0, 1]; got ${topP}`);
  if (!Number.isInteger(seed)) throw new RangeError(`${where}: seed must be an integer; got ${seed}`);
  if (!Number.isInteger(numBeams) || numBeams < 1) throw new RangeError(`${where}: numBeams must be a positive integer; got ${numBeams}`);
  const sample = options.doSample ?? (temperature !== undefined || topK !== undefined || topP !== undefined);
  if (sample && numBeams > 1) throw new RangeError(`${where}: numBeams ${numBeams} with sampling is not supported; use one or the other`);
  const longest = Math.max(0, ...prompts.map((prompt) => prompt.length));
  const limit = model.config.n_positions;
  if (longest + maxNewTokens > limit) {
    throw new RangeError(`${where}: a prompt of ${longest} tokens + maxNewTokens ${maxNewTokens} = ${longest + maxNewTokens} exceeds n_positions ${limit} of config.json (GPT-2 has no positions beyond it)`);
  }
  const eos = model.config.eos_token_id;
  const stops = [...(options.stopTokens ?? (eos === null ? [] : [eos]))];
  const vocab = model.config.vocab_size;
  for (const id of stops) {
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`${where}: stop token ${id} is outside the vocabulary [0, ${vocab})`);
  }
  return { maxNewTokens, sample, temperature: temperature ?? 1, topK, topP: topP ?? 1, seed, numBeams, stops };
}

/**
 * Streams GPT-2's continuation of `prompts` token by token as an async iterator (for UIs and the
 * CLI): greedy, or seeded sampling with temperature / top-k / top-p, with the key/value cache,
 * a repetition penalty and stop tokens; rows (left-padded together) yield in order at each step.
 * It draws exactly as the shared {@link greedySearch} / {@link multinomialSample} do on a
 * {@link Gpt2Session} (tested equal), so {@link gpt2Generate} returns the same tokens.
 *
 * @example
 * ```ts
 * for await (const { token, stop } of gpt2Stream(model, [tokenizer.tokenizer.encode('Hello').ids], { maxNewTokens: 30 })) {
 *   if (!stop) process.stdout.write(tokenizer.tokenizer.decode([token]));
 * }
 * ```
 */
export async function* gpt2Stream(model: GPT2LMHeadModel, prompts: readonly (readonly number[])[], options: Gpt2GenerateOptions = {}): AsyncGenerator<Gpt2StreamedToken> {
  const where = 'gpt2Stream';
  const resolved = resolve(model, prompts, options, where);
  if (resolved.numBeams > 1) throw new RangeError(`${where}: beam search (numBeams ${resolved.numBeams}) cannot stream; use gpt2Generate`);
  const session = await Gpt2Session.start(model, prompts, { outputAttentions: options.outputAttentions, useCache: options.useCache, repetitionPenalty: options.repetitionPenalty });
  try {
    const v = session.vocabSize;
    const random = new SeededRandom(resolved.seed);
    const next = Int32Array.from(session.lastTokens);
    const finished = new Array<boolean>(session.rows).fill(false);
    const stops = new Set(resolved.stops);
    for (let step = 0; step < resolved.maxNewTokens && finished.includes(false); step++) {
      const { logits, trace } = await session.step(next);
      for (let row = 0; row < session.rows; row++) {
        if (finished[row]) continue;
        const rowLogits = logits.subarray(row * v, (row + 1) * v);
        let token = 0;
        if (resolved.sample) {
          const logProbs = nextTokenLogProbs(rowLogits, resolved);
          const u = random.next();
          let cumulative = 0;
          for (let k = 0; k < v; k++) {
            if (logProbs[k] === -Infinity) continue;
            token = k;
            cumulative += Math.exp(logProbs[k]!);
            if (u < cumulative) break;
          }
        } else {
          for (let k = 1; k < v; k++) if (rowLogits[k]! > rowLogits[token]!) token = k;
        }
        const stop = stops.has(token);
        if (stop) finished[row] = true;
        next[row] = token;
        yield { row, step, token, stop, ...(trace ? { trace: trace(row) } : {}) };
      }
    }
  } finally {
    session.dispose();
  }
}

/**
 * Generates GPT-2 continuations of `prompts` (id lists, any lengths: left-padded together) with the
 * shared samplers on a {@link Gpt2Session}: greedy ({@link greedySearch}), seeded sampling
 * ({@link multinomialSample}) or beam search ({@link beamSearch}, prompts tiled `numBeams` times),
 * with the key/value cache, repetition penalty, stop tokens (default `eos_token_id`) and
 * `maxNewTokens`. Bad options are errors naming the value (temperature ≤ 0, top-p outside (0, 1],
 * a prompt + maxNewTokens beyond `n_positions`, ids outside the vocabulary).
 *
 * @example
 * ```ts
 * const [out] = await gpt2Generate(model, [tokenizer.tokenizer.encode('The cat').ids], { maxNewTokens: 20, temperature: 0.8, topP: 0.9, seed: 1 });
 * tokenizer.tokenizer.decode(out.newTokens);
 * ```
 */
export async function gpt2Generate(model: GPT2LMHeadModel, prompts: readonly (readonly number[])[], options: Gpt2GenerateOptions = {}): Promise<Gpt2Generated[]> {
  const resolved = resolve(model, prompts, options, 'gpt2Generate');
  const beams = resolved.numBeams;
  const rows = beams > 1 ? prompts.flatMap((prompt) => new Array<readonly number[]>(beams).fill(prompt)) : prompts;
  // Beam search scores log-probabilities the repetition penalty changed afterwards, as transformers' does.
  const session = await Gpt2Session.start(model, rows, { outputAttentions: options.outputAttentions, useCache: options.useCache, repetitionPenalty: options.repetitionPenalty, logProbabilities: beams > 1 });
  try {
    const common = { startTokens: session.lastTokens, endId: resolved.stops, maxLength: resolved.maxNewTokens };
    const results = beams > 1
      ? await beamSearch(session, { ...common, beamSize: beams, lengthPenalty: options.lengthPenalty, scorer: 'transformers', earlyStopping: options.earlyStopping ?? false, normalize: false })
      : resolved.sample
        ? await multinomialSample(session, { ...common, temperature: resolved.temperature, topK: resolved.topK, topP: resolved.topP, seed: resolved.seed })
        : await greedySearch(session, common);
    return results.map((result, i) => {
      const newTokens = result.endToken === undefined ? result.tokens : [...result.tokens, result.endToken];
      return { ids: [...prompts[i]!, ...newTokens], newTokens, finished: result.finished, logProb: result.logProb, traces: result.traces };
    });
  } finally {
    session.dispose();
  }
}
