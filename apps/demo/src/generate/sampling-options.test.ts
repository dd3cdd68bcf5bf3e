import { describe, expect, it } from 'vitest';
import { samplingOptions, type SamplingForm } from './sampling-options';

const form: SamplingForm = { mode: 'sample', temperature: '0.8', topK: '40', topP: '0.95', seed: '7', maxNewTokens: '60' };
const limits = { promptTokens: 28, positions: 128 };

describe('samplingOptions', () => {
  it('reads seeded sampling, an empty top-k as every token, and greedy without the sampling controls', () => {
    expect(samplingOptions(form, limits)).toEqual({ maxNewTokens: 60, doSample: true, temperature: 0.8, topK: 40, topP: 0.95, seed: 7 });
    expect(samplingOptions({ ...form, topK: ' ' }, limits)).toEqual({ maxNewTokens: 60, doSample: true, temperature: 0.8, topP: 0.95, seed: 7 });
    expect(samplingOptions({ ...form, mode: 'greedy', temperature: '-1', topP: 'x' }, limits)).toEqual({ maxNewTokens: 60, doSample: false });
    expect(samplingOptions({ ...form, maxNewTokens: '100' }, limits).maxNewTokens).toBe(100); // 28 + 100 = 128 positions
  });

  it('names the control, what it expects and the value it got', () => {
    expect(() => samplingOptions({ ...form, maxNewTokens: '101' }, limits)).toThrow('max new tokens: expected an integer from 1 to 100 (the model\'s positions left after the prompt); got "101"');
    expect(() => samplingOptions({ ...form, maxNewTokens: '2.5' }, limits)).toThrow('max new tokens');
    expect(() => samplingOptions({ ...form, temperature: '0' }, limits)).toThrow('temperature: expected a number > 0; got "0"');
    expect(() => samplingOptions({ ...form, topK: '0' }, limits)).toThrow('top-k: expected a positive integer (or empty for every token); got "0"');
    expect(() => samplingOptions({ ...form, topP: '1.5' }, limits)).toThrow('top-p: expected a number in (0, 1]; got "1.5"');
    expect(() => samplingOptions({ ...form, topP: '' }, limits)).toThrow('top-p: expected a number in (0, 1]; got ""');
    expect(() => samplingOptions({ ...form, seed: 'abcdefghijklmnopqrstuvwxyz' }, limits)).toThrow('seed: expected an integer; got "abcdefghijklmnopqrst…"');
  });

  it('refuses an empty prompt and one that leaves no position for a new token', () => {
    expect(() => samplingOptions(form, { promptTokens: 0, positions: 128 })).toThrow('prompt: expected some text');
    expect(() => samplingOptions(form, { promptTokens: 128, positions: 128 })).toThrow('prompt: expected fewer than 128 tokens (n_positions of the model) to leave room for new ones; got 128 tokens');
  });
});
