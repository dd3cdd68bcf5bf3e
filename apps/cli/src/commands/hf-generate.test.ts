// heed hf generate on the PyTorch-written tiny GPT-2 (packages/models/scripts/hf/make_gpt2_fixtures.py):
// greedy ids equal PyTorch's continuation, the streamed text equals the --json text, seeded sampling
// repeats, bad arguments are clear errors; heed hf forward gives GPT-2's logits and attentions.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@heed/tokenizers';
import { describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed } from '../__fixtures__/hub-server';
import { hfGenerate } from './hf-generate';

const GPT2 = join(HF_FIXTURES, '..', '..', 'gpt2', '__fixtures__', 'gpt2-lm-f32');
interface Recorded { data: number[]; shape: number[] }
const reference = JSON.parse(readFileSync(join(GPT2, 'reference.json'), 'utf8')) as {
  texts: string[]; inputs: { input_ids: number[][]; attention_mask: number[][] }; greedy: { prompt: number[]; ids: number[] };
  beam: { prompt: number[]; num_beams: number; ids: number[] }; repetition_penalty: { prompt: number[]; penalty: number; ids: number[] };
  outputs: { logits: Recorded; attentions: Recorded[] };
};
const tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync(join(GPT2, 'tokenizer.json'), 'utf8')));
const generate = (...args: string[]) => runHeed(['hf', 'generate', GPT2, ...args]);

describe('heed hf generate', () => {
  it('greedy --input-ids --json: the prompt ids, then PyTorch\'s greedy continuation', async () => {
    const { greedy } = reference;
    const run = await generate('--input-ids', greedy.prompt.join(','), '--max-new-tokens', String(greedy.ids.length - greedy.prompt.length), '--greedy', '--json');
    expect(run.stderr).not.toMatch(/^(warning|heed)/m); // no load warnings: buffers and the tied lm_head are skipped silently
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { ids: number[]; text: string };
    expect(out.ids).toEqual(greedy.ids);
    expect(out.text).toBe(tokenizer.decode(greedy.ids, { skipSpecialTokens: true }));
  });

  it('--prompt: tokenized as the reference, the streamed text equals the --json text', async () => {
    const text = reference.texts[0]!;
    const json = JSON.parse((await generate('--prompt', text, '--max-new-tokens', '5', '--json')).stdout) as { ids: number[]; text: string };
    expect(json.ids.slice(0, 6)).toEqual(reference.inputs.input_ids[0]!.slice(0, 6));
    expect(json.ids.length).toBeLessThanOrEqual(11);
    expect(json.text.startsWith(text)).toBe(true);
    const streamed = await generate('--prompt', text, '--max-new-tokens', '5');
    expect(streamed.status).toBe(0);
    expect(streamed.stdout).toBe(`${json.text}\n`);
  });

  it('seeded sampling repeats with its seed and changes with another', async () => {
    const sample = async (seed: string) => (await generate('--input-ids', '281,282', '--max-new-tokens', '10', '--temperature', '1.5', '--top-k', '50', '--top-p', '0.95', '--seed', seed, '--json')).stdout;
    const first = await sample('1');
    expect(JSON.parse(first).ids.length).toBeGreaterThan(2);
    expect(await sample('1')).toBe(first);
    expect(await sample('2')).not.toBe(first);
  });

  it.each([
    [['--input-ids', '1,2', '--top-p', '1.5'], /--top-p must be in \(0, 1\]; got 1\.5/],
    [['--input-ids', '1,2', '--temperature', '-1'], /--temperature must be a positive number; got -1/],
    [['--input-ids', '1,2', '--greedy', '--temperature', '0.5'], /--greedy takes no --temperature/],
    [['--input-ids', '1,2', '--prompt', 'x'], /give exactly one of --prompt "text" and --input-ids 1,2,3/],
    [['--input-ids', '1,x'], /--input-ids needs comma-separated non-negative integers like 1,2,3; got "1,x"/],
    [['--input-ids', '1,297'], /--input-ids\[1\] = 297 is outside the vocabulary \(0 ≤ id < vocab_size 297\)/],
    [['--input-ids', '1,2', '--max-new-tokens', '15'], /--max-new-tokens 15 \+ the prompt's 2 tokens = 17 exceeds n_positions 16 of config\.json; give at most 14/],
  ])('%j is an error naming the value', async (args, message) => {
    const run = await generate(...args);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('a BERT checkpoint is refused by name', async () => {
    const run = await runHeed(['hf', 'generate', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--input-ids', '1,2']);
    expect(run.stderr).toMatch(/is a BertForSequenceClassification \(model_type bert\); generate needs a GPT-2 language model/);
  });
});

describe('heed hf generate: beams, repetition penalty, stop ids', () => {
  it('--num-beams 3 and --repetition-penalty 1.3 give PyTorch\'s continuations; --stop-ids ends at the first of them', async () => {
    const { beam, repetition_penalty: repetition, greedy } = reference;
    const json = async (...args: string[]) => {
      const run = await generate(...args, '--json');
      expect(run.stderr).not.toMatch(/^(warning|heed)/m);
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout) as { ids: number[]; text: string };
    };
    expect((await json('--input-ids', beam.prompt.join(','), '--num-beams', String(beam.num_beams), '--max-new-tokens', String(beam.ids.length - beam.prompt.length), '--stop-ids', 'none')).ids).toEqual(beam.ids);
    expect((await json('--input-ids', repetition.prompt.join(','), '--repetition-penalty', String(repetition.penalty), '--greedy', '--max-new-tokens', String(repetition.ids.length - repetition.prompt.length), '--stop-ids', 'none')).ids).toEqual(repetition.ids);
    // Greedy continues [..., a, b, b, ...]: stopping at b ends at the first b, kept (as transformers returns it).
    const b = greedy.ids[greedy.prompt.length + 1]!;
    const stopped = await json('--input-ids', greedy.prompt.join(','), '--stop-ids', String(b), '--max-new-tokens', '6');
    expect(stopped.ids).toEqual(greedy.ids.slice(0, greedy.prompt.length + 2));
  });

  it.each([
    [['--num-beams', '0'], '--num-beams must be a positive integer; got 0'],
    [['--num-beams', '2', '--temperature', '0.7'], '--num-beams 2 takes no --temperature, --top-k, --top-p or --seed'],
    [['--repetition-penalty', '0'], '--repetition-penalty must be a positive number (1 = off); got 0'],
    [['--repetition-penalty', '-1.2'], '--repetition-penalty must be a positive number (1 = off); got -1.2'],
    [['--stop-ids', '1,x'], '--stop-ids needs comma-separated non-negative integers like 50256,13, or none; got "1,x"'],
    [['--stop-ids', '5,297'], '--stop-ids[1] = 297 is outside the vocabulary (0 ≤ id < vocab_size 297)'],
    [['--temperature', '-0.5'], '--temperature must be a positive number; got -0.5'],
    [['--top-p', '0'], '--top-p must be in (0, 1]; got 0'],
  ])('%j is an error naming the value', async (args, message) => {
    await expect(hfGenerate([GPT2, '--input-ids', '1,2', ...args])).rejects.toThrow(message);
  });

  it('a prompt longer than n_positions, and a tokenizer larger than the embeddings, are errors naming the sizes', async () => {
    const seventeen = Array.from({ length: 17 }, (_, i) => i + 1).join(',');
    await expect(hfGenerate([GPT2, '--input-ids', seventeen])).rejects.toThrow('the prompt has 17 tokens, but n_positions of config.json is 16: no room for a new token');
    // The same checkpoint with one more added token in tokenizer.json than wte has rows.
    const dir = mkdtempSync(join(tmpdir(), 'heed-hf-generate-vocab-'));
    cpSync(GPT2, dir, { recursive: true });
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as { added_tokens: { id: number; content: string }[] };
    json.added_tokens.push({ ...json.added_tokens[0]!, id: 297, content: '<|pad|>' });
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    await expect(hfGenerate([dir, '--prompt', 'the cat'])).rejects.toThrow('the tokenizer has 298 ids but config.json vocab_size is 297');
  });
});

describe('heed hf forward on GPT-2', () => {
  it('"logits" [tokens][vocab] and "attentions" equal PyTorch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-hf-generate-'));
    const ids = reference.inputs.input_ids[0]!.slice(0, 6); // the first text, without its right padding
    writeFileSync(join(dir, 'in.jsonl'), `${JSON.stringify({ input_ids: ids })}\n`);
    const run = await runHeed(['hf', 'forward', GPT2, '--input', join(dir, 'in.jsonl'), '--attentions', '--json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { logits: number[][]; attentions: number[][][][] };
    const [, time, vocab] = reference.outputs.logits.shape as [number, number, number];
    expect(out.logits.length).toBe(6);
    out.logits.forEach((row, t) => row.forEach((value, k) => expect(Math.abs(value - reference.outputs.logits.data[t * vocab + k]!)).toBeLessThan(1e-5)));
    const [, heads] = reference.outputs.attentions[0]!.shape as [number, number];
    out.attentions.forEach((layer, l) => layer.forEach((head, h) => head.forEach((query, q) => query.forEach((value, k) => {
      expect(Math.abs(value - reference.outputs.attentions[l]!.data[((h * time) + q) * time + k]!)).toBeLessThan(1e-5);
    }))));
    expect(out.attentions[0]!.length).toBe(heads);
  });
});
