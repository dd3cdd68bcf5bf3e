// heed hf fine-tune on the tiny PyTorch-written GPT-2 (packages/models/scripts/hf/make_gpt2_fixtures.py,
// byte-level BPE of 297 tokens) with a real English text file: UCI Sentiment Labelled Sentences
// (npm `sentiment`), yelp reviews one per line. The validation perplexity falls, the HF layout it
// writes loads back with that perplexity, and the classifier path is untouched (hf-fine-tune.test.ts).
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@heed/backends';
import { fromPretrained, loadGpt2Tokenizer, type GPT2LMHeadModel } from '@heed/models';
import { folderSource, loadSentimentNode } from '@heed/models/node';
import { perplexity } from '@heed/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed } from '../__fixtures__/hub-server';
import { hfFineTune } from './hf-fine-tune';
import { openHfCheckpoint, readHfConfig } from './hf-checkpoint';
import { runHfFineTuneCausalLm, textLines, type HfFineTuneCausalLmResults } from './hf-fine-tune-causal-lm';

const GPT2 = join(HF_FIXTURES, '..', '..', 'gpt2', '__fixtures__', 'gpt2-lm-f32');
let directory: string;
let train: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-hf-fine-tune-clm-'));
  const { yelp } = await loadSentimentNode();
  train = join(directory, 'yelp.txt');
  // 20 lines: the first 5% (1 line) are held out, as run_clm's validation_split_percentage.
  await writeFile(train, `${yelp.filter((row) => row.text).slice(0, 20).map((row) => row.text).join('\n')}\n`);
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('heed hf fine-tune (GPT-2, causal LM on a text file)', () => {
  it('trains on the lines, reports falling validation perplexity, writes the HF layout, results.json and epoch checkpoints', async () => {
    const out = join(directory, 'out');
    const run = await runHeed(['hf', 'fine-tune', GPT2, '--train', train, '--block-size', '16', '--epochs', '2', '--batch-size', '16', '--lr', '1e-2', '--seed', '3', '--save-strategy', 'epoch', '--backend', 'wasm', '--out', out]);
    expect(run.stderr).not.toMatch(/^(warning|heed)/m);
    expect(run.status).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as HfFineTuneCausalLmResults;
    expect(results).toMatchObject({ architecture: 'GPT2LMHeadModel', task: 'causal-lm', block_size: 16, epochs: 2, batch_size: 16, validation: 'the first 5% of the lines of --train (1 line)' });
    expect(results.history.map((entry) => entry.epoch)).toEqual([1, 2]);
    expect(results.steps).toBe(2 * Math.ceil(results.train_samples / 16));
    expect(results.train_samples).toBe(Math.floor(results.train_tokens / 16));
    expect(results.perplexity!).toBeLessThan(results.initial_perplexity! / 3);
    expect(Math.exp(results.eval_loss!)).toBeCloseTo(results.perplexity!, 6);
    expect(run.stdout).toContain(`perplexity ${results.initial_perplexity!.toFixed(2)} → ${results.perplexity!.toFixed(2)}`);
    expect(results.checkpoints).toEqual(results.history.map((entry) => `checkpoint-${entry.step}`));
    for (const folder of ['', ...results.checkpoints]) {
      expect((await readdir(join(out, folder))).filter((file) => !file.startsWith('checkpoint-')).sort()).toEqual(
        ['config.json', 'merges.txt', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json', ...(folder ? ['heed-trainer', 'trainer_state.json'] : ['results.json'])].sort(),
      );
    }
    // The saved model has the reported perplexity on the held-out line (the first of the file).
    const source = folderSource(out);
    const model = await fromPretrained<GPT2LMHeadModel>(source);
    const tokenizer = await loadGpt2Tokenizer(source, model.config);
    const held = textLines(await readFile(train, 'utf8')).slice(0, 1).map((line) => tokenizer.tokenizer.encode(line).ids);
    const measured = await perplexity((input_ids) => model.forward({ input_ids }).logits, held, { blockSize: 16 });
    expect(measured.perplexity).toBeCloseTo(results.perplexity!, 2);
    model.dispose();
  });

  it('--resume-from-checkpoint / --resume continue from an epoch checkpoint bit for bit', async () => {
    const checkpoint = await openHfCheckpoint(GPT2, 'fine-tune');
    const config = await readHfConfig(checkpoint);
    if (config.model_type !== 'gpt2') throw new Error('expected the GPT-2 fixture');
    const run = (...args: string[]) => runHfFineTuneCausalLm(checkpoint, config, ['--train', train, '--block-size', '16', '--epochs', '3', '--batch-size', '16', '--lr', '1e-2', '--seed', '3', '--backend', 'cpu', ...args], [GPT2], { log: () => undefined });
    const whole = join(directory, 'resume-whole');
    const straight = await run('--save-strategy', 'epoch', '--out', whole);
    expect(straight.checkpoints).toHaveLength(3);
    const first = join(whole, straight.checkpoints[0]!);
    const resumed = await run('--out', join(directory, 'resume-part'), '--resume-from-checkpoint', first);
    expect(resumed.resumed_from).toBe(first);
    expect(resumed.history).toEqual(straight.history); // epoch 1 from the checkpoint's log, epochs 2-3 trained again
    expect({ ...resumed, train_runtime: 0, resumed_from: null, checkpoints: [] }).toEqual({ ...straight, train_runtime: 0, checkpoints: [] });
    expect(await readFile(join(directory, 'resume-part', 'model.safetensors'))).toEqual(await readFile(join(whole, 'model.safetensors')));
    const latest = await run('--out', whole, '--resume');
    expect(latest.resumed_from).toBe(join(whole, straight.checkpoints[2]!));
    expect(latest.history).toEqual(straight.history);
    await expect(run('--out', join(directory, 'resume-bad'), '--lr', '2e-2', '--resume-from-checkpoint', first)).rejects.toThrow(
      `--resume-from-checkpoint ${first} was trained with learning_rate 0.01 but this run has learning_rate 0.02; resume with the same checkpoint, text and options`,
    );
  });

  it('bad input: classifier-only flags, a missing or empty text, no room for a block, both validation flags', async () => {
    const out = join(directory, 'bad');
    const fineTune = (...args: string[]) => hfFineTune([GPT2, ...args, '--out', out, '--backend', 'cpu']);
    await expect(fineTune('--train', train, '--max-length', '8')).rejects.toThrow('heed hf fine-tune (causal LM, GPT-2): unknown argument "--max-length"; known: --train, --validation, --validation-split-percentage, --block-size');
    await expect(fineTune('--train', join(directory, 'none.txt'))).rejects.toThrow(`heed hf fine-tune: cannot read --train ${join(directory, 'none.txt')}`);
    const tiny = join(directory, 'tiny.txt');
    await writeFile(tiny, 'a b\n');
    await expect(fineTune('--train', tiny, '--validation-split-percentage', '0', '--block-size', '16')).rejects.toThrow(`heed hf fine-tune: --train ${tiny} has 4 tokens after the validation split, fewer than one block of 16 (--block-size)`);
    await writeFile(tiny, '\n \n');
    await expect(fineTune('--train', tiny)).rejects.toThrow(`heed hf fine-tune: --train ${tiny} is empty; a causal LM trains on the text itself`);
    await expect(fineTune('--train', train, '--validation', train, '--validation-split-percentage', '10')).rejects.toThrow('give --validation FILE or --validation-split-percentage P, not both');
    await expect(fineTune('--train', train, '--save-strategy', 'steps')).rejects.toThrow('--save-strategy must be one of no, epoch; got "steps"');
  });

  it('textLines keeps each line break, as datasets\' text loader with keep_linebreaks', () => {
    expect(textLines('a\n\nb c\nlast')).toEqual(['a\n', '\n', 'b c\n', 'last']);
    expect(textLines('')).toEqual([]);
  });
});
