// heed hf generate on the PyTorch-written tiny GPT-2 (packages/models/scripts/hf/make_gpt2_fixtures.py):
// greedy ids equal PyTorch's continuation, the streamed text equals the --json text, seeded sampling
// repeats, bad arguments are clear errors; heed hf forward gives GPT-2's logits and attentions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@heed/tokenizers';
import { describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed } from '../__fixtures__/hub-server';

const GPT2 = join(HF_FIXTURES, '..', '..', 'gpt2', '__fixtures__', 'gpt2-lm-f32');
interface Recorded { data: number[]; shape: number[] }
const reference = JSON.parse(readFileSync(join(GPT2, 'reference.json'), 'utf8')) as {
  texts: string[]; inputs: { input_ids: number[][]; attention_mask: number[][] }; greedy: { prompt: number[]; ids: number[] };
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
