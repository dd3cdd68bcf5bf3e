// loadHfTokenizer on the PyTorch-written fixture checkpoints against Hugging Face's own
// tokenizers.js (@huggingface/tokenizers 0.2, the reference): ids, attention mask and token types
// of 300 real sentences (UCI Sentiment Labelled Sentences) and sentence pairs; padding and
// truncation as transformers defines them on top of those encodings.
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import { expectNoLeaks } from '@heed/backends/testing';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSourceError } from '../sources/checkpoint-source';
import { folderSource } from '../sources/folder-source-node';
import { loadHfTokenizer } from './load-hf-tokenizer';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');
const require = createRequire(import.meta.url);
const sentences = (require('sentiment/test/fixtures/imdb.json') as Array<{ text?: string }>)
  .map((row) => row.text)
  .filter((text): text is string => typeof text === 'string' && text.length > 0)
  .slice(0, 300);
const pairs = Array.from({ length: 50 }, (_, index) => [sentences[2 * index]!, sentences[2 * index + 1]!] as const);

const CHECKPOINTS = ['bert-seq-cls-f32', 'bert-mlm-f16', 'distilbert-seq-cls-f32'];

async function reference(name: string): Promise<HfReference> {
  const source = folderSource(join(fixtures, name));
  return new HfReference(JSON.parse(await source.readText('tokenizer.json')) as object, JSON.parse(await source.readText('tokenizer_config.json')) as object);
}

describe.each(CHECKPOINTS)('loadHfTokenizer(%s)', (name) => {
  it('gives @huggingface/tokenizers\' ids, masks and token types, unpadded and untruncated', async () => {
    const tokenizer = await loadHfTokenizer(folderSource(join(fixtures, name)));
    const hf = await reference(name);
    for (const text of sentences) {
      const expected = hf.encode(text, { return_token_type_ids: true });
      const got = tokenizer.encode(text, { truncation: false, padding: false });
      expect(got.input_ids[0], text).toEqual(expected.ids);
      expect(got.attention_mask[0]).toEqual(expected.attention_mask);
      expect(got.token_type_ids[0]).toEqual(expected.token_type_ids);
    }
    for (const [text, pair] of pairs) {
      const expected = hf.encode(text, { text_pair: pair, return_token_type_ids: true });
      const got = tokenizer.encode([[text, pair]], { truncation: false, padding: false });
      expect(got.input_ids[0]).toEqual(expected.ids);
      expect(got.token_type_ids[0]).toEqual(expected.token_type_ids);
    }
  });

  it('cuts to model_max_length (16 here, under the default 128) and pads to the longest with [PAD]', async () => {
    const tokenizer = await loadHfTokenizer(folderSource(join(fixtures, name)));
    const hf = await reference(name);
    expect(tokenizer.maxLength).toBe(16);
    const padId = hf.token_to_id('[PAD]')!;
    const batch = tokenizer.encode(sentences.slice(0, 40));
    // transformers: cut the text's tokens to max_length minus the special tokens, add them, pad.
    const expected = sentences.slice(0, 40).map((text) => {
      const { ids } = hf.encode(text);
      return ids.length <= 16 ? ids : [...ids.slice(0, 15), ids[ids.length - 1]!];
    });
    const longest = Math.max(...expected.map((ids) => ids.length));
    expect(longest).toBe(16);
    expect(batch.input_ids).toEqual(expected.map((ids) => [...ids, ...new Array<number>(longest - ids.length).fill(padId)]));
    expect(batch.attention_mask).toEqual(expected.map((ids) => [...ids.map(() => 1), ...new Array<number>(longest - ids.length).fill(0)]));
    expect(batch.token_type_ids).toEqual(expected.map(() => new Array<number>(longest).fill(0)));
    const fixed = tokenizer.encode(['a cat'], { padding: 'max_length' });
    expect(fixed.input_ids[0]).toHaveLength(16);
  });

  it('encodes the inputs the PyTorch reference ran on (reference.json)', async () => {
    const tokenizer = await loadHfTokenizer(folderSource(join(fixtures, name)));
    const recorded = (await import(join(fixtures, name, 'reference.json'), { with: { type: 'json' } })).default as { inputs: Record<string, number[][]> };
    const batch = tokenizer.encode([['Hello, my dog is cute', 'the cat sat'], 'This film was not very good.']);
    // bert-mlm-f16 masks one token of the first row by hand; the other rows are the tokenizer's.
    if (name === 'bert-mlm-f16') expect(batch.input_ids[1]).toEqual(recorded.inputs.input_ids![1]);
    else expect(batch.input_ids).toEqual(recorded.inputs.input_ids);
    expect(batch.attention_mask).toEqual(recorded.inputs.attention_mask);
    if (recorded.inputs.token_type_ids) expect(batch.token_type_ids).toEqual(recorded.inputs.token_type_ids);
  });
});

describe('loadHfTokenizer: tokenizer_config.json and bad input', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'heed-hf-tokenizer-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('honours padding_side "left", a {content} pad token, and no limit (int(1e30)) → 128', async () => {
    await copyFile(join(fixtures, 'bert-seq-cls-f32', 'tokenizer.json'), join(folder, 'tokenizer.json'));
    await writeFile(join(folder, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 1e30, padding_side: 'left', pad_token: { content: '[MASK]', lstrip: false } }));
    const tokenizer = await loadHfTokenizer(folderSource(folder));
    expect(tokenizer.maxLength).toBe(128);
    const batch = tokenizer.encode(['the cat sat on the mat', 'a dog']);
    expect(batch.input_ids[1]).toEqual([4, 4, 4, 4, 2, 11, 7, 3]);
    expect(batch.attention_mask[1]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(batch.tokens[1]!.slice(0, 5)).toEqual(['[MASK]', '[MASK]', '[MASK]', '[MASK]', '[CLS]']);
  });

  it('tensors: int32 (batch, tokens), no leaks; uneven rows are an error', async () => {
    await tf.setBackend('cpu');
    const tokenizer = await loadHfTokenizer(folderSource(join(fixtures, 'bert-seq-cls-f32')));
    await expectNoLeaks(() => {
      const tensors = tokenizer.toTensors(tokenizer.encode(['the cat', 'a dog is cute']));
      expect(tensors.input_ids.shape).toEqual([2, 6]);
      expect(tensors.attention_mask.dtype).toBe('int32');
      for (const tensor of Object.values(tensors)) tensor.dispose();
    });
    expect(() => tokenizer.toTensors(tokenizer.encode(['the cat', 'a dog is cute'], { padding: false }))).toThrow(/input_ids: every row must have 4 tokens \(pad the batch\); row 1 has 6/);
  });

  it('a checkpoint without tokenizer.json is an error naming the file; bad options name the argument', async () => {
    const error = await loadHfTokenizer(folderSource(join(fixtures, 'roberta-seq-cls-f32'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CheckpointSourceError);
    expect((error as Error).message).toMatch(/roberta-seq-cls-f32\/tokenizer\.json: the checkpoint has no tokenizer; text inputs need one, or give input_ids/);
    await expect(loadHfTokenizer('checkpoints/bert')).rejects.toThrow(/source: "checkpoints\/bert" is not a base URL \(http:\/\/, https:\/\/\); for a local folder pass folderSource\(path\) from '@heed\/models\/node'/);
    const tokenizer = await loadHfTokenizer(folderSource(join(fixtures, 'bert-seq-cls-f32')));
    expect(() => tokenizer.encode('a', { maxLength: 0 })).toThrow(/maxLength: expected a positive integer, got 0/);
    expect(() => tokenizer.encode('a', { maxLength: 1 })).toThrow(/maxLength: 1 is smaller than the 2 special tokens/);
    await writeFile(join(folder, 'tokenizer_config.json'), JSON.stringify({ model_max_length: 'long' }));
    await expect(loadHfTokenizer(folderSource(folder))).rejects.toThrow(/tokenizer_config\.json model_max_length: expected a positive integer; got "long"/);
  });
});
