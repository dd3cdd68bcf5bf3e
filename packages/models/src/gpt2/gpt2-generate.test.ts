// GPT-2 generation: the key/value cache against full recomputation at every step, PyTorch's greedy
// continuation, left-padded batches, the shared samplers against the stream, and bad options.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import { folderSource } from '../hf/sources/folder-source-node';
import { gpt2Generate, gpt2Stream, type Gpt2GenerateOptions } from './gpt2-generate';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';
import { Gpt2Session } from './gpt2-session';
import { GPT2_FIXTURES, gpt2Reference } from './testing/gpt2-fixtures';

const load = () => fromPretrained<GPT2LMHeadModel>(folderSource(join(GPT2_FIXTURES, 'gpt2-lm-f32')), { onWarning: () => undefined });
const PROMPTS = [[281, 282, 271, 272, 259], [72, 101]]; // two lengths: the second is left-padded

async function collect(model: GPT2LMHeadModel, prompts: number[][], options: Gpt2GenerateOptions): Promise<number[][]> {
  const rows = prompts.map(() => [] as number[]);
  for await (const { row, token } of gpt2Stream(model, prompts, options)) rows[row]!.push(token);
  return rows;
}

await describeBackends(TEST_BACKENDS, () => {
  it('with and without the key/value cache: the same logits at every step, and the new token\'s attention over every earlier token', async () => {
    const model = await load();
    const before = tf.memory().numTensors;
    const cached = await Gpt2Session.start(model, PROMPTS, { outputAttentions: true });
    const full = await Gpt2Session.start(model, PROMPTS, { outputAttentions: true, useCache: false });
    let tokens = Int32Array.from(cached.lastTokens);
    for (let step = 0; step < 6; step++) {
      const a = await cached.step(tokens);
      const b = await full.step(tokens);
      await expectClose(a.logits, b.logits, { atol: 1e-5, rtol: 0, label: `step ${step} logits` });
      for (let row = 0; row < PROMPTS.length; row++) {
        const [ta, tb] = [a.trace!(row), b.trace!(row)];
        expect(ta.attention.length).toBe(2); // layers
        expect(ta.attention[0]!.length).toBe(3); // heads
        for (const [layer, heads] of ta.attention.entries()) {
          for (const [head, weights] of heads.entries()) {
            expect(weights.length).toBe(PROMPTS[row]!.length + step); // the real tokens so far, itself last
            expect(Math.abs(weights.reduce((sum, w) => sum + w, 0) - 1)).toBeLessThan(1e-5);
            await expectClose(weights, tb.attention[layer]![head]!, { atol: 1e-5, rtol: 0 });
          }
        }
      }
      tokens = Int32Array.from({ length: PROMPTS.length }, (_, row) => {
        const logits = a.logits.subarray(row * cached.vocabSize, (row + 1) * cached.vocabSize);
        return logits.indexOf(Math.max(...logits));
      });
    }
    cached.dispose();
    full.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('greedy with the cache continues as PyTorch does (ids, and every step\'s logits within 1e-5)', async () => {
    const model = await load();
    const { greedy } = await gpt2Reference('gpt2-lm-f32');
    const session = await Gpt2Session.start(model, [greedy!.prompt]);
    let token = session.lastTokens[0]!;
    const ids = [...greedy!.prompt];
    for (const expected of greedy!.step_logits) {
      const { logits } = await session.step(Int32Array.from([token]));
      await expectClose(logits, expected.data, { atol: 1e-5, rtol: 0 });
      token = logits.indexOf(Math.max(...logits));
      ids.push(token);
    }
    expect(ids).toEqual(greedy!.ids);
    session.dispose();
    const [out] = await gpt2Generate(model, [greedy!.prompt], { maxNewTokens: greedy!.step_logits.length, stopTokens: [] });
    expect(out!.ids).toEqual(greedy!.ids);
    model.dispose();
  });
});

describe('gpt2Generate and gpt2Stream', () => {
  let model: GPT2LMHeadModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = await load();
  });

  it('a left-padded batch continues each prompt as it continues alone; no tensors leak', async () => {
    const before = tf.memory().numTensors;
    const batch = await gpt2Generate(model, PROMPTS, { maxNewTokens: 8, stopTokens: [] });
    for (const [row, prompt] of PROMPTS.entries()) {
      const [alone] = await gpt2Generate(model, [prompt], { maxNewTokens: 8, stopTokens: [] });
      expect(batch[row]!.ids).toEqual(alone!.ids);
      expect(batch[row]!.ids.slice(0, prompt.length)).toEqual(prompt);
      expect(batch[row]!.newTokens.length).toBe(8);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the stream yields what the shared samplers choose: greedy, and seeded sampling (same seed, same tokens)', async () => {
    for (const options of [{ stopTokens: [] }, { temperature: 0.7, topK: 20, topP: 0.9, seed: 3, stopTokens: [] }, { temperature: 1.5, seed: 4, stopTokens: [] }] as Gpt2GenerateOptions[]) {
      const streamed = await collect(model, PROMPTS, { ...options, maxNewTokens: 9 });
      const generated = await gpt2Generate(model, PROMPTS, { ...options, maxNewTokens: 9 });
      expect(streamed).toEqual(generated.map((result) => result.newTokens));
      expect(await collect(model, PROMPTS, { ...options, maxNewTokens: 9 })).toEqual(streamed);
    }
    const a = await collect(model, PROMPTS, { temperature: 2, seed: 1, maxNewTokens: 10, stopTokens: [] });
    const b = await collect(model, PROMPTS, { temperature: 2, seed: 2, maxNewTokens: 10, stopTokens: [] });
    expect(a).not.toEqual(b);
  });

  it('beam search: one beam is greedy; three beams find a continuation at least as probable', async () => {
    const options = { maxNewTokens: 6, stopTokens: [], lengthPenalty: 0 };
    const greedy = await gpt2Generate(model, PROMPTS, options);
    expect((await gpt2Generate(model, PROMPTS, { ...options, numBeams: 1 })).map((r) => r.ids)).toEqual(greedy.map((r) => r.ids));
    const beams = await gpt2Generate(model, PROMPTS, { ...options, numBeams: 3 });
    for (const [row, result] of beams.entries()) {
      expect(result.ids.slice(0, PROMPTS[row]!.length)).toEqual(PROMPTS[row]);
      expect(result.logProb).toBeGreaterThanOrEqual(greedy[row]!.logProb - 1e-9);
    }
  });

  it('beam search (3 beams) and greedy with repetition penalty 1.3 continue as PyTorch does (transformers\' semantics, no end token)', async () => {
    const reference = await gpt2Reference('gpt2-lm-f32');
    const { beam, repetition_penalty: repetition } = reference;
    const [beamed] = await gpt2Generate(model, [beam!.prompt], { numBeams: beam!.num_beams, maxNewTokens: beam!.ids.length - beam!.prompt.length, stopTokens: [] });
    expect(beamed!.ids).toEqual(beam!.ids);
    const options = { repetitionPenalty: repetition!.penalty, maxNewTokens: repetition!.ids.length - repetition!.prompt.length, stopTokens: [] };
    const [penalized] = await gpt2Generate(model, [repetition!.prompt], options);
    expect(penalized!.ids).toEqual(repetition!.ids);
    expect((await collect(model, [repetition!.prompt], options))[0]).toEqual(repetition!.ids.slice(repetition!.prompt.length));
  });

  it('several stop ids, each with its own probability, as transformers\' eos_token_id list: greedy, the stream and beam search (early_stopping false, length penalty 1) end where PyTorch does', async () => {
    const { several_stop_ids: reference } = await gpt2Reference('gpt2-lm-f32');
    const { prompt, greedy_eos: stops, greedy_ids: ids, beam } = reference!;
    // Both stop ids are less probable than the first step's argmax, their sum more: folding them into one would stop at once.
    const [greedy] = await gpt2Generate(model, [prompt], { maxNewTokens: reference!.max_new_tokens, stopTokens: stops });
    expect(greedy!.ids).toEqual(ids);
    expect(greedy!.finished).toBe(true);
    expect((await collect(model, [prompt], { maxNewTokens: reference!.max_new_tokens, stopTokens: stops }))[0]).toEqual(ids.slice(prompt.length));
    const options = { numBeams: beam.num_beams, maxNewTokens: beam.max_new_tokens, lengthPenalty: beam.length_penalty, earlyStopping: beam.early_stopping, stopTokens: beam.eos };
    const [beamed] = await gpt2Generate(model, [prompt], options);
    expect(beamed!.ids).toEqual(beam.ids);
    expect(beamed!.ids.at(-1)).toBe(beam.eos[1]); // it ended with the second id of the list
    expect(beamed!.finished).toBe(true);
  });

  it('beam search with a repetition penalty applies it to the log-probabilities, as transformers does (not to the logits)', async () => {
    const { beam_repetition_penalty: reference } = await gpt2Reference('gpt2-lm-f32');
    const { prompt, num_beams: numBeams, penalty, ids, ids_penalty_on_logits: onLogits } = reference!;
    expect(ids).not.toEqual(onLogits); // the fixture tells the two orders apart
    const before = tf.memory().numTensors;
    const [out] = await gpt2Generate(model, [prompt], { numBeams, repetitionPenalty: penalty, maxNewTokens: ids.length - prompt.length, stopTokens: [] });
    expect(out!.ids).toEqual(ids);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stop tokens end a row (kept in ids, as transformers); the default stop is eos_token_id', async () => {
    const [free] = await gpt2Generate(model, [PROMPTS[0]!], { maxNewTokens: 8, stopTokens: [] });
    const third = free!.newTokens[2]!;
    const [stopped] = await gpt2Generate(model, [PROMPTS[0]!], { maxNewTokens: 8, stopTokens: [third] });
    expect(stopped!.newTokens).toEqual(free!.newTokens.slice(0, free!.newTokens.indexOf(third) + 1));
    expect(stopped!.finished).toBe(true);
    const streamed = [] as boolean[];
    for await (const { stop } of gpt2Stream(model, [PROMPTS[0]!], { maxNewTokens: 8, stopTokens: [third] })) streamed.push(stop);
    expect(streamed.at(-1)).toBe(true);
    expect(streamed.length).toBe(stopped!.newTokens.length);
    const [byDefault] = await gpt2Generate(model, [PROMPTS[0]!], { maxNewTokens: 8 });
    expect(byDefault!.newTokens.slice(0, -1)).not.toContain(model.config.eos_token_id);
  });

  it('the repetition penalty divides positive and multiplies negative logits of tokens already in the row', async () => {
    const plain = await Gpt2Session.start(model, [PROMPTS[0]!]);
    const penalized = await Gpt2Session.start(model, [PROMPTS[0]!], { repetitionPenalty: 1.3 });
    const token = Int32Array.from(plain.lastTokens);
    const [{ logits: a }, { logits: b }] = [await plain.step(token), await penalized.step(token)];
    const seen = new Set(PROMPTS[0]);
    for (let k = 0; k < a.length; k++) {
      const expected = seen.has(k) ? (a[k]! > 0 ? a[k]! / 1.3 : a[k]! * 1.3) : a[k]!;
      expect(b[k]).toBeCloseTo(expected, 6);
    }
    plain.dispose();
    penalized.dispose();
  });

  it.each([
    [{ topP: 0 }, /topP must be in \(0, 1\]; got 0/],
    [{ topP: 1.5 }, /topP must be in \(0, 1\]; got 1\.5/],
    [{ temperature: -1 }, /temperature must be a positive number; got -1/],
    [{ topK: 0 }, /topK must be a positive integer; got 0/],
    [{ maxNewTokens: 12 }, /a prompt of 5 tokens \+ maxNewTokens 12 = 17 exceeds n_positions 16/],
    [{ repetitionPenalty: 0 }, /repetitionPenalty must be a positive number \(1 = off\); got 0/],
    [{ stopTokens: [400] }, /stop token 400 is outside the vocabulary \[0, 297\)/],
  ])('%j is an error naming the value', async (options, message) => {
    const before = tf.memory().numTensors;
    await expect(gpt2Generate(model, [PROMPTS[0]!], { maxNewTokens: 3, ...options })).rejects.toThrow(message);
    await expect(collect(model, [PROMPTS[0]!], { maxNewTokens: 3, ...options })).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prompts: ids outside the vocabulary, an empty prompt and one longer than n_positions are errors', async () => {
    await expect(gpt2Generate(model, [[1, 297]], { maxNewTokens: 3 })).rejects.toThrow(/prompt 0 token 1 is 297, outside the vocabulary \[0, 297\)/);
    await expect(gpt2Generate(model, [[1], []], { maxNewTokens: 1 })).rejects.toThrow(/prompt 1 is empty/);
    await expect(gpt2Generate(model, [new Array<number>(17).fill(1)], { maxNewTokens: 1 })).rejects.toThrow(/17 tokens \+ maxNewTokens 1 = 18 exceeds n_positions 16/);
  });
});
