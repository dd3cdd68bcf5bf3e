import * as tf from '@tensorflow/tfjs';
import type { AttentionCache } from '@heed/attention';
import { logSoftmaxRow, type DecoderSession } from '../samplers/decoder-session';
import type { Gpt2Backbone } from './gpt2-backbone';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';

/** What a {@link Gpt2Session} step reports per row: the new token's attention over every earlier token. */
export interface Gpt2StepTrace {
  /**
   * `attention[layer][head]`: the weights of the token fed at this step over the row's real tokens so
   * far (prompt without its padding, then the generated ones, itself last); each sums to 1.
   */
  readonly attention: Float32Array[][];
}

/** Options of {@link Gpt2Session.start}. */
export interface Gpt2SessionOptions {
  /** Report each step's attention weights ({@link Gpt2StepTrace}); runs the reference attention path. Default false. */
  readonly outputAttentions?: boolean;
  /**
   * Recompute every step over the whole sequence instead of using the key/value cache (the
   * reference the cached path is tested against; quadratic). Default false.
   */
  readonly useCache?: boolean;
  /**
   * CTRL's repetition penalty (Keskar et al. 2019, transformers' RepetitionPenaltyLogitsProcessor):
   * the logit of every token already in the row (prompt included) is divided by it when positive,
   * multiplied when negative. 1 = off (default); must be > 0.
   */
  readonly repetitionPenalty?: number;
  /**
   * Return each step's log-probabilities (`log_softmax` of the logits) with the repetition penalty applied
   * to them afterwards, not renormalized: the scores transformers' beam search adds (it runs the logits
   * processors on log-probabilities; greedy search and sampling run them on logits, the default). Pass
   * with `normalize: false` to {@link beamSearch}. Default false.
   */
  readonly logProbabilities?: boolean;
}

/**
 * A running GPT-2 generation as the shared samplers see it ({@link DecoderSession}): `rows` prompts,
 * left-padded to one length (positions count real tokens only, as transformers' generate does),
 * whose every token but the last is run once at start to fill the key/value cache; each `step` then
 * feeds one token per row (the first step the prompts' last tokens, see {@link Gpt2Session.lastTokens})
 * and returns the next-token logits `rows × vocab`. `reorder` follows beam search. Call `dispose`
 * when done (the cache is tensors).
 *
 * @example
 * ```ts
 * const session = await Gpt2Session.start(model, [[464, 3290], [15496]]);
 * const [a, b] = await greedySearch(session, { startTokens: session.lastTokens, endId: 50256, maxLength: 20 });
 * session.dispose();
 * ```
 */
export class Gpt2Session implements DecoderSession<Gpt2StepTrace> {
  readonly vocabSize: number;
  /** Each row's tokens so far (prompt without padding, then what was fed), for the repetition penalty and traces. */
  private histories: number[][];
  private cache: AttentionCache[] | undefined;
  private mask: number[][]; // (rows, positions so far): 1 = real token
  private positions: number[]; // each row's next position id
  private fed: number[][]; // every fed column, padding included (the no-cache reference reruns it)
  private readonly backbone: Gpt2Backbone;

  private constructor(
    model: GPT2LMHeadModel,
    prompts: readonly (readonly number[])[],
    private readonly options: Gpt2SessionOptions,
  ) {
    this.backbone = model.backbone;
    const { vocab_size: vocab, n_positions: limit, eos_token_id: eos } = model.config;
    this.vocabSize = vocab;
    if (prompts.length === 0) throw new RangeError('Gpt2Session: prompts must be at least one row of token ids; got none');
    const longest = Math.max(...prompts.map((prompt) => prompt.length));
    for (const [row, prompt] of prompts.entries()) {
      if (prompt.length === 0) throw new RangeError(`Gpt2Session: prompt ${row} is empty; GPT-2 needs at least one token (e.g. <|endoftext|> ${eos ?? ''})`);
      const bad = prompt.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
      if (bad >= 0) throw new RangeError(`Gpt2Session: prompt ${row} token ${bad} is ${prompt[bad]}, outside the vocabulary [0, ${vocab}) of config.json vocab_size`);
    }
    if (longest > limit) throw new RangeError(`Gpt2Session: a prompt of ${longest} tokens exceeds n_positions ${limit} of config.json`);
    const penalty = options.repetitionPenalty ?? 1;
    if (!(typeof penalty === 'number' && penalty > 0 && Number.isFinite(penalty))) throw new RangeError(`Gpt2Session: repetitionPenalty must be a positive number (1 = off); got ${penalty}`);
    const pad = eos ?? 0;
    const padded = prompts.map((prompt) => [...new Array<number>(longest - prompt.length).fill(pad), ...prompt]);
    // Every column but the last (always a real token: the padding is on the left); each step adds one.
    this.mask = prompts.map((prompt) => [...new Array<number>(longest - prompt.length).fill(0), ...new Array<number>(prompt.length - 1).fill(1)]);
    this.histories = prompts.map((prompt) => prompt.slice(0, -1));
    this.fed = padded.map((row) => row.slice(0, -1));
    this.positions = prompts.map((prompt) => prompt.length - 1);
    this.lastTokens = prompts.map((prompt) => prompt.at(-1)!);
    this.prefill();
  }

  /** The token each row feeds first: its prompt's last (pass as the sampler's `startTokens`). */
  readonly lastTokens: readonly number[];

  get rows(): number {
    return this.mask.length;
  }

  /** Starts a session on `prompts` (unpadded id lists; rows may differ in length). */
  static async start(model: GPT2LMHeadModel, prompts: readonly (readonly number[])[], options: Gpt2SessionOptions = {}): Promise<Gpt2Session> {
    return new Gpt2Session(model, prompts, options);
  }

  /** Runs every prompt column but the last once, keeping the keys and values. */
  private prefill(): void {
    const columns = this.fed[0]!.length;
    if (columns === 0 || this.options.useCache === false) return;
    const out = tf.tidy(() => {
      const ids = tf.tensor2d(this.fed, undefined, 'int32');
      const attentionMask = tf.tensor2d(this.mask, undefined, 'int32');
      const positionIds = tf.tensor2d(this.mask.map(positionIdsOf), undefined, 'int32');
      const result = this.backbone.call({ inputIds: ids, attentionMask, positionIds }, { useCache: true });
      return result.presentKeyValues!.flatMap(({ key, value }) => [key, value]);
    });
    tf.dispose(this.cacheTensors());
    this.cache = Array.from({ length: out.length / 2 }, (_, i) => ({ key: out[2 * i] as tf.Tensor4D, value: out[2 * i + 1] as tf.Tensor4D }));
  }

  private cacheTensors(): tf.Tensor[] {
    return (this.cache ?? []).flatMap(({ key, value }) => [key, value]);
  }

  async step(tokens: Int32Array): Promise<{ logits: Float32Array; trace?: (row: number) => Gpt2StepTrace }> {
    if (tokens.length !== this.rows) throw new RangeError(`Gpt2Session.step: expected ${this.rows} tokens (one per row); got ${tokens.length}`);
    const limit = this.backbone.config.n_positions;
    if (this.mask[0]!.length + 1 > limit) throw new RangeError(`Gpt2Session.step: the sequence would reach ${this.mask[0]!.length + 1} tokens, beyond n_positions ${limit} of config.json; generate fewer tokens (maxNewTokens) or shorten the prompt`);
    for (const [row, token] of tokens.entries()) {
      if (token < 0 || token >= this.vocabSize) throw new RangeError(`Gpt2Session.step: token ${token} of row ${row} is outside the vocabulary [0, ${this.vocabSize})`);
      this.mask[row]!.push(1);
      this.fed[row]!.push(token);
      this.histories[row]!.push(token);
    }
    const cached = this.options.useCache !== false;
    const wantAttention = Boolean(this.options.outputAttentions);
    const n = this.mask[0]!.length;
    const { logits, attentions, presents } = tf.tidy(() => {
      const ids = cached ? tf.tensor2d(Array.from(tokens, (token) => [token]), [this.rows, 1], 'int32') : tf.tensor2d(this.fed, undefined, 'int32');
      const attentionMask = tf.tensor2d(this.mask, undefined, 'int32');
      const positionIds = cached ? tf.tensor2d(this.positions.map((position) => [position]), undefined, 'int32') : tf.tensor2d(this.mask.map(positionIdsOf), undefined, 'int32');
      const result = this.backbone.call({ inputIds: ids, attentionMask, positionIds, pastKeyValues: cached ? this.cache : undefined }, { useCache: cached, outputAttentions: wantAttention });
      const steps = result.lastHiddenState.shape[1];
      const last = tf.slice(result.lastHiddenState, [0, steps - 1, 0], [-1, 1, -1]) as tf.Tensor3D; // (rows, 1, h)
      const lastAttention = result.attentions?.map((weights) => tf.slice(weights, [0, 0, weights.shape[2] - 1, 0], [-1, -1, 1, -1]).squeeze([2])); // (rows, heads, n)
      return { logits: this.backbone.logits(last).reshape([this.rows, this.vocabSize]), attentions: lastAttention, presents: result.presentKeyValues?.flatMap(({ key, value }) => [key, value]) };
    });
    if (presents) {
      tf.dispose(this.cacheTensors());
      this.cache = Array.from({ length: presents.length / 2 }, (_, i) => ({ key: presents[2 * i] as tf.Tensor4D, value: presents[2 * i + 1] as tf.Tensor4D }));
    }
    this.positions = this.positions.map((position) => position + 1);
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    this.processLogits(values);
    if (!attentions) return { logits: values };
    const weights = await Promise.all(attentions.map(async (tensor) => (await tensor.data()) as Float32Array));
    tf.dispose(attentions);
    const heads = attentions[0]!.shape[1]!;
    const masks = this.mask.map((row) => row.slice());
    return {
      logits: values,
      trace: (row) => ({
        attention: weights.map((layer) => Array.from({ length: heads }, (_, head) => {
          const all = layer.subarray((row * heads + head) * n, (row * heads + head + 1) * n);
          return Float32Array.from(all.filter((_, key) => masks[row]![key] === 1));
        })),
      }),
    };
  }

  /** Log-softmax (with `logProbabilities`), then the repetition penalty, in place on `rows × vocab` logits. */
  private processLogits(values: Float32Array): void {
    const v = this.vocabSize;
    const penalty = this.options.repetitionPenalty ?? 1;
    for (let row = 0; row < this.rows; row++) {
      const offset = row * v;
      if (this.options.logProbabilities) values.set(logSoftmaxRow(values, row, v), offset);
      if (penalty !== 1) {
        for (const token of new Set(this.histories[row])) {
          const logit = values[offset + token]!;
          values[offset + token] = logit > 0 ? logit / penalty : logit * penalty;
        }
      }
    }
  }

  reorder(order: readonly number[]): void {
    if (order.length !== this.rows || order.some((row) => !Number.isInteger(row) || row < 0 || row >= this.rows)) {
      throw new RangeError(`Gpt2Session.reorder: expected ${this.rows} row indices in [0, ${this.rows}); got [${order.join(', ')}]`);
    }
    this.mask = order.map((row) => this.mask[row]!.slice());
    this.fed = order.map((row) => this.fed[row]!.slice());
    this.histories = order.map((row) => this.histories[row]!.slice());
    this.positions = order.map((row) => this.positions[row]!);
    if (this.cache) {
      const indices = tf.tensor1d(order as number[], 'int32');
      const reordered = this.cache.map(({ key, value }) => ({ key: tf.gather(key, indices) as tf.Tensor4D, value: tf.gather(value, indices) as tf.Tensor4D }));
      indices.dispose();
      tf.dispose(this.cacheTensors());
      this.cache = reordered;
    }
  }

  /** Frees the key/value cache. */
  dispose(): void {
    tf.dispose(this.cacheTensors());
    this.cache = undefined;
  }
}

/** transformers' generation position ids: `cumsum(mask) − 1`, padding at 1. */
function positionIdsOf(mask: readonly number[]): number[] {
  let count = 0;
  return mask.map((real) => (real ? count++ : 1));
}
