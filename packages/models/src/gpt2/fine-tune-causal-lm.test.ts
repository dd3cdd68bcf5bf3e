// Causal-LM fine-tuning of the tiny PyTorch-written GPT-2 fixture (byte-level BPE, 297 tokens) on
// real English text: the UCI Sentiment Labelled Sentences (npm `sentiment`), yelp reviews to train,
// amazon reviews held out. The validation perplexity must fall far below where it started.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectNoLeaks } from '@heed/backends/testing';
import { perplexity } from '@heed/training';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { loadSentimentNode } from '../data/text/load-sentiment-node';
import { fromPretrained } from '../hf/from-pretrained';
import { folderSource } from '../hf/sources/folder-source-node';
import { fineTuneCausalLm, type CausalLmEpoch } from './fine-tune-causal-lm';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';
import { loadGpt2Tokenizer } from './load-gpt2-tokenizer';
import { GPT2_FIXTURES } from './testing/gpt2-fixtures';

const CHECKPOINT = folderSource(join(GPT2_FIXTURES, 'gpt2-lm-f32'));
let train: number[][];
let heldOut: number[][];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const { yelp, amazon } = await loadSentimentNode();
  const tokenizer = await loadGpt2Tokenizer(CHECKPOINT);
  const ids = (rows: readonly { text?: string }[], count: number) => rows.filter((row) => row.text).slice(0, count).map((row) => tokenizer.tokenizer.encode(`${row.text!}\n`).ids);
  train = ids(yelp, 30);
  heldOut = ids(amazon, 12);
});

it('fine-tunes GPT2LMHeadModel on real text: validation perplexity falls, each epoch is measured as perplexity() measures it, nothing leaks', async () => {
  const model = await fromPretrained<GPT2LMHeadModel>(CHECKPOINT, { onWarning: () => undefined });
  const epochs: CausalLmEpoch[] = [];
  const before = tf.memory().numTensors;
  const result = await fineTuneCausalLm(model, train, heldOut, { blockSize: 16, epochs: 3, batchSize: 16, learningRate: 1e-2, seed: 1, onEpochEnd: (entry) => void epochs.push(entry) });
  expect(tf.memory().numTensors).toBe(before);
  expect(result.history).toEqual(epochs);
  expect(result.history.map((entry) => entry.epoch)).toEqual([1, 2, 3]);
  expect(result.steps).toBe(3 * Math.ceil(result.trainBlocks / 16));
  const initial = result.initial!.perplexity;
  const last = result.history[2]!;
  // Random 0.3-std weights start far above uniform (297); three epochs (18 steps) bring it well below uniform.
  expect(initial).toBeGreaterThan(297);
  expect(last.perplexity!).toBeLessThan(initial / 5);
  expect(last.perplexity!).toBeLessThan(297);
  expect(result.history[0]!.perplexity!).toBeGreaterThan(last.perplexity!);
  expect(result.history[0]!.loss).toBeGreaterThan(last.loss);
  const again = await expectNoLeaks(() => perplexity((input_ids) => model.forward({ input_ids }).logits, heldOut, { blockSize: 16 }));
  expect(again.perplexity).toBeCloseTo(last.perplexity!, 3);
  expect(Math.exp(last.eval_loss!)).toBeCloseTo(last.perplexity!, 6);
  model.dispose();
});

it('bad input names the value', async () => {
  const model = await fromPretrained<GPT2LMHeadModel>(CHECKPOINT, { onWarning: () => undefined });
  await expect(fineTuneCausalLm(model, train, heldOut, { blockSize: 17 })).rejects.toThrow('fineTuneCausalLm: blockSize must be an integer in [2, n_positions 16]; got 17');
  await expect(fineTuneCausalLm(model, [[1, 2, 400]], [], { blockSize: 2 })).rejects.toThrow('train[0][2] is 400, outside the vocabulary [0, 297) of config.json vocab_size');
  await expect(fineTuneCausalLm(model, [[1, 2, 3]], [], { blockSize: 4 })).rejects.toThrow('the training text has 3 tokens, fewer than one block of blockSize 4');
  model.dispose();
});
