// GPT-2 configs, checkpoint layouts and tokenizers: what published GPT-2 checkpoints hold.
import { Tokenizer as HfReferenceTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '@heed/tokenizers';
import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHfConfig } from '../hf/config/hf-architectures';
import { HfConfigError } from '../hf/config/hf-config-error';
import { gpt2InnerSize, type HfGpt2Config } from '../hf/config/hf-gpt2-config';
import { hfWeightLayout } from '../hf/convert/hf-weight-layout';
import { fromPretrained } from '../hf/from-pretrained';
import { folderSource } from '../hf/sources/folder-source-node';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';
import type { GPT2Model } from './gpt2-model';
import { loadGpt2Tokenizer } from './load-gpt2-tokenizer';
import { GPT2_FIXTURES, gpt2Reference } from './testing/gpt2-fixtures';

// openai-community/gpt2's config.json as the Hub serves it.
const GPT2_SMALL = {
  activation_function: 'gelu_new', architectures: ['GPT2LMHeadModel'], attn_pdrop: 0.1, bos_token_id: 50256, embd_pdrop: 0.1,
  eos_token_id: 50256, initializer_range: 0.02, layer_norm_epsilon: 1e-5, model_type: 'gpt2', n_ctx: 1024, n_embd: 768, n_head: 12,
  n_layer: 12, n_positions: 1024, resid_pdrop: 0.1, summary_activation: null, summary_first_dropout: 0.1, summary_proj_to_labels: true,
  summary_type: 'cls_index', summary_use_proj: true, task_specific_params: { 'text-generation': { do_sample: true, max_length: 50 } }, vocab_size: 50257,
};
const lm = join(GPT2_FIXTURES, 'gpt2-lm-f32');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'heed-gpt2-'));
  cpSync(join(GPT2_FIXTURES, name), dir, { recursive: true });
  return dir;
}

describe('GPT-2 config.json', () => {
  it('reads gpt2 small: n_inner null = 4·n_embd, gelu_new, ε 1e-5, 124M parameters in its layout', () => {
    const config = parseHfConfig(GPT2_SMALL) as HfGpt2Config;
    expect(config).toMatchObject({ model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, n_inner: null, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5, eos_token_id: 50256 });
    expect(gpt2InnerSize(config)).toBe(3072);
    const layout = hfWeightLayout(config);
    const parameters = layout.tensors.reduce((sum, tensor) => sum + tensor.shape.reduce((a, b) => a * b, 1), 0);
    expect(parameters).toBe(124_439_808); // GPT2LMHeadModel.num_parameters() (lm_head tied)
    expect(layout.tensors.find((tensor) => tensor.name === 'transformer.h.0.attn.c_attn.weight')!.shape).toEqual([768, 2304]); // Conv1D (in, out)
    expect(layout.tied).toEqual({ 'lm_head.weight': 'transformer.wte.weight' });
  });

  it.each([
    [{ n_embd: 10, n_head: 4 }, /n_head: must divide n_embd 10; got 4/],
    [{ n_inner: 0 }, /n_inner: expected an integer ≥ 1 or null \(4·n_embd\); got 0/],
    [{ activation_function: 'swiglu' }, /activation_function: expected one of "gelu", "gelu_new", .*; got "swiglu"/],
    [{ add_cross_attention: true }, /add_cross_attention: true is not supported/],
    [{ scale_attn_by_inverse_layer_idx: true }, /scale_attn_by_inverse_layer_idx: true is not supported/],
    [{ tie_word_embeddings: false }, /tie_word_embeddings: false is not supported/],
    [{ vocab_size: 100 }, /bos_token_id: must be below vocab_size 100; got 50256/],
    [{ layer_norm_epsilon: 0 }, /layer_norm_epsilon: expected a number in \(0, ∞\); got 0/],
  ])('%j is an error naming the field', (overrides, message) => {
    expect(() => parseHfConfig({ ...GPT2_SMALL, ...overrides })).toThrow(HfConfigError);
    expect(() => parseHfConfig({ ...GPT2_SMALL, ...overrides })).toThrow(message);
  });
});

describe('GPT-2 checkpoints', () => {
  it('the base model reads an LM checkpoint\'s transformer. tensors; the LM head reads them from a prefix-free GPT2Model checkpoint', async () => {
    const warnings: string[] = [];
    const base = await fromPretrained<GPT2Model>(folderSource(lm), { architecture: 'GPT2Model', onWarning: (warning) => warnings.push(warning) });
    expect(base.weights[0]!.name).toBe('wte.weight');
    expect(warnings).toEqual([expect.stringMatching(/were not used by GPT2Model: lm_head\.weight\.$/)]); // as from_pretrained warns; the buffers are silent
    warnings.length = 0;
    base.dispose();
    const head = await fromPretrained<GPT2LMHeadModel>(folderSource(join(GPT2_FIXTURES, 'gpt2-base-f16')), { architecture: 'GPT2LMHeadModel', onWarning: (warning) => warnings.push(warning) });
    expect(head.weights.map((weight) => weight.name).slice(0, 2)).toEqual(['transformer.wte.weight', 'transformer.wpe.weight']);
    expect(head.weights.some((weight) => weight.name.startsWith('lm_head'))).toBe(false); // tied to wte
    expect(warnings).toEqual([]);
    head.dispose();
  });

  it('config vocab_size and wte rows that disagree is an error naming both; nothing stays allocated', async () => {
    const dir = copyFixture('gpt2-lm-f32');
    try {
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, vocab_size: 300 }));
      const before = tf.memory().numTensors;
      await expect(fromPretrained(folderSource(dir))).rejects.toThrow(/config\.json vocab_size is 300 but transformer\.wte\.weight has 297 rows/);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('forward: a prompt longer than n_positions and ids outside the vocabulary are errors naming the value', async () => {
    const model = await fromPretrained<GPT2LMHeadModel>(folderSource(lm), { onWarning: () => undefined });
    const long = tf.zeros([1, 17], 'int32') as tf.Tensor2D;
    expect(() => model.forward({ input_ids: long })).toThrow(/GPT2LMHeadModel\.forward: 17 tokens exceed n_positions 16 of config\.json/);
    const outside = tf.tensor2d([[1, 2, 297]], undefined, 'int32');
    expect(() => model.forward({ input_ids: outside })).toThrow(/input_ids\[0\]\[2\] is 297, outside the vocabulary \[0, 297\)/);
    tf.dispose([long, outside]);
    model.dispose();
  });
});

describe('GPT-2 byte-level BPE tokenizer', () => {
  it('tokenizer.json gives the reference ids, as @huggingface/tokenizers does, and decodes back to the text', async () => {
    const reference = await gpt2Reference('gpt2-lm-f32');
    const tokenizer = await loadGpt2Tokenizer(folderSource(lm));
    const json = JSON.parse(readFileSync(join(lm, 'tokenizer.json'), 'utf8')) as object;
    const hf = new HfReferenceTokenizer(json, {});
    for (const [i, text] of reference.texts.entries()) {
      const ids = tokenizer.tokenizer.encode(text).ids;
      expect(ids).toEqual(reference.inputs.input_ids![i]!.slice(0, ids.length));
      expect(ids).toEqual(hf.encode(text).ids);
      expect(tokenizer.tokenizer.decode(ids)).toBe(text);
    }
  });

  it('vocab.json + merges.txt alone (GPT2Tokenizer\'s files) give the same ids; a tokenizer larger than wte is an error', async () => {
    const dir = copyFixture('gpt2-lm-f32');
    try {
      rmSync(join(dir, 'tokenizer.json'));
      const reference = await gpt2Reference('gpt2-lm-f32');
      const model = await fromPretrained<GPT2LMHeadModel>(folderSource(dir), { onWarning: () => undefined });
      const tokenizer = await loadGpt2Tokenizer(folderSource(dir), model.config);
      const fast = Tokenizer.fromJSON(JSON.parse(readFileSync(join(lm, 'tokenizer.json'), 'utf8')));
      for (const text of [...reference.texts, 'a   spaced\n\nline, 123 — ünïcode']) expect(tokenizer.tokenizer.encode(text).ids).toEqual(fast.encode(text).ids);
      await expect(loadGpt2Tokenizer(folderSource(dir), { ...model.config, vocab_size: 200 })).rejects.toThrow(/the tokenizer has 297 ids but config\.json vocab_size is 200/);
      rmSync(join(dir, 'merges.txt'));
      await expect(loadGpt2Tokenizer(folderSource(dir))).rejects.toThrow(/needs tokenizer\.json, or vocab\.json and merges\.txt \(found vocab\.json\)/);
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
