import type { Gpt2GenerateOptions } from '@heed/models';

/** The Generate page's sampling controls as the form holds them (strings, as inputs give them). */
export interface SamplingForm {
  /** `greedy`: the most probable token every step; `sample`: seeded draws with temperature / top-k / top-p. */
  readonly mode: 'greedy' | 'sample';
  readonly temperature: string;
  /** Empty: every token. */
  readonly topK: string;
  readonly topP: string;
  readonly seed: string;
  readonly maxNewTokens: string;
}

const shown = (value: string) => JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);

function number(value: string, name: string, expected: string, valid: (x: number) => boolean): number {
  const parsed = value.trim() === '' ? Number.NaN : Number(value);
  if (!valid(parsed)) throw new RangeError(`${name}: expected ${expected}; got ${shown(value)}`);
  return parsed;
}

/**
 * Reads the sampling controls into {@link gpt2Stream}'s options, with errors naming the control,
 * what it expects and what it got: max new tokens an integer from 1 to the positions the prompt
 * leaves (`n_positions` − prompt tokens), and when sampling temperature > 0, top-k a positive integer or
 * empty (every token), top-p in (0, 1], seed an integer. Greedy ignores the sampling controls.
 *
 * @example
 * ```ts
 * samplingOptions({ mode: 'sample', temperature: '0.8', topK: '40', topP: '0.95', seed: '1', maxNewTokens: '60' }, { promptTokens: 28, positions: 128 });
 * // { maxNewTokens: 60, doSample: true, temperature: 0.8, topK: 40, topP: 0.95, seed: 1 }
 * ```
 */
export function samplingOptions(form: SamplingForm, limits: { readonly promptTokens: number; readonly positions: number }): Gpt2GenerateOptions {
  const room = limits.positions - limits.promptTokens;
  if (limits.promptTokens < 1) throw new RangeError('prompt: expected some text (GPT-2 continues a prompt of at least one token); got an empty prompt');
  if (room < 1) throw new RangeError(`prompt: expected fewer than ${limits.positions} tokens (n_positions of the model) to leave room for new ones; got ${limits.promptTokens} tokens`);
  const maxNewTokens = number(form.maxNewTokens, 'max new tokens', `an integer from 1 to ${room} (the model's positions left after the prompt)`, (x) => Number.isInteger(x) && x >= 1 && x <= room);
  if (form.mode === 'greedy') return { maxNewTokens, doSample: false };
  const temperature = number(form.temperature, 'temperature', 'a number > 0', (x) => Number.isFinite(x) && x > 0);
  const topK = form.topK.trim() === '' ? undefined : number(form.topK, 'top-k', 'a positive integer (or empty for every token)', (x) => Number.isInteger(x) && x >= 1);
  const topP = number(form.topP, 'top-p', 'a number in (0, 1]', (x) => x > 0 && x <= 1);
  const seed = number(form.seed, 'seed', 'an integer', (x) => Number.isSafeInteger(x));
  return { maxNewTokens, doSample: true, temperature, ...(topK === undefined ? {} : { topK }), topP, seed };
}
