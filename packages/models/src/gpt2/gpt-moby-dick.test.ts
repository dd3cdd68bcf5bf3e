// The shipped gpt-moby-dick (weights/gpt-moby-dick/, trained by scripts/gpt/train-gpt-moby-dick.ts):
// the folder loads as Hugging Face's GPT-2 layout, its tokenizer re-tokenizes the held-out chapters
// to the recorded count, the recorded validation perplexity of a fixed slice is reproduced (and
// equals PyTorch's on the same folder), and greedy generation repeats the recorded continuation.
import { readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describeBackends, TEST_BACKENDS } from '@heed/backends/testing';
import { perplexity } from '@heed/training';
import { beforeAll, expect, it } from 'vitest';
import { loadMobyDickNode } from '../data/text/load-moby-dick-node';
import { mobyDickDataset } from '../data/text/moby-dick-dataset';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfTokenizer } from '../hf/preprocessing/hf-tokenizer';
import { folderSource } from '../hf/sources/folder-source-node';
import { gpt2Generate } from './gpt2-generate';
import { GPT2LMHeadModel } from './gpt2-lm-head-model';
import { loadGpt2Tokenizer } from './load-gpt2-tokenizer';

const FOLDER = fileURLToPath(new URL('../../weights/gpt-moby-dick/', import.meta.url));

interface Results {
  corpus: { validationTokens: number };
  validation: { perplexity: number; tokens: number };
  validationSlice: { blocks: number; blockSize: number; perplexity: number; loss: number };
  samples: { name: string; prompt: string; options: { maxNewTokens: number }; newTokens: number[]; text: string }[];
  pytorch: { sliceLoss: number; greedyNewTokens: number[]; greedyEqual: boolean };
}

let results: Results;
let validationIds: number[];

beforeAll(async () => {
  results = JSON.parse(await readFile(`${FOLDER}results.json`, 'utf8')) as Results;
  const tokenizer = await loadGpt2Tokenizer(folderSource(FOLDER));
  const end = tokenizer.tokenizer.tokenToId('<|endoftext|>')!;
  const { validation } = mobyDickDataset(await loadMobyDickNode());
  validationIds = validation.flatMap((part) => [...tokenizer.tokenizer.encode(part.text).ids, end]); // each held-out chapter, then <|endoftext|>
});

it('is a small Hugging Face GPT-2 folder whose tokenizer gives the recorded held-out token count', async () => {
  expect((await readdir(FOLDER)).sort()).toEqual(['config.json', 'merges.txt', 'model.safetensors', 'results.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json']);
  expect((await stat(`${FOLDER}model.safetensors`)).size).toBeLessThan(6e6);
  expect(validationIds).toHaveLength(results.corpus.validationTokens);
  expect(results.validation.tokens).toBe(Math.floor(validationIds.length / results.validationSlice.blockSize) * (results.validationSlice.blockSize - 1));
  expect(results.validation.perplexity).toBeGreaterThan(1);
  expect(results.pytorch.greedyEqual).toBe(true);
});

await describeBackends(TEST_BACKENDS, () => {
  let model: GPT2LMHeadModel;
  let tokenizer: HfTokenizer;

  beforeAll(async () => {
    model = await fromPretrained<GPT2LMHeadModel>(folderSource(FOLDER));
    tokenizer = await loadGpt2Tokenizer(folderSource(FOLDER), model.config);
    return () => model.dispose();
  });

  it('reproduces the recorded validation perplexity of the fixed held-out slice (PyTorch\'s too)', async () => {
    expect(model).toBeInstanceOf(GPT2LMHeadModel);
    const { blocks, blockSize, perplexity: recorded } = results.validationSlice;
    const before = tf.memory().numTensors;
    const measured = await perplexity((ids) => model.forward({ input_ids: ids }).logits!, [validationIds.slice(0, blocks * blockSize)], { blockSize, batchSize: blocks });
    expect(tf.memory().numTensors).toBe(before);
    expect(measured.blocks).toBe(blocks);
    expect(Math.abs(measured.perplexity / recorded - 1)).toBeLessThan(1e-4);
    expect(Math.abs(measured.loss - results.pytorch.sliceLoss)).toBeLessThan(1e-4); // PyTorch 1.13 on the same folder
  });

  it('generates the recorded greedy continuation, deterministically', async () => {
    const greedy = results.samples.find((sample) => sample.name === 'greedy')!;
    const prompt = tokenizer.tokenizer.encode(greedy.prompt).ids;
    const before = tf.memory().numTensors;
    const [first] = await gpt2Generate(model, [prompt], { maxNewTokens: greedy.options.maxNewTokens, stopTokens: [] });
    const [second] = await gpt2Generate(model, [prompt], { maxNewTokens: 8, stopTokens: [] }); // greedy: a shorter run is the same prefix
    expect(tf.memory().numTensors).toBe(before);
    expect(first!.newTokens).toEqual(greedy.newTokens);
    expect(first!.newTokens).toEqual(results.pytorch.greedyNewTokens);
    expect(second!.newTokens).toEqual(first!.newTokens.slice(0, 8));
    expect(tokenizer.tokenizer.decode(first!.newTokens)).toBe(greedy.text);
  });
});
