// The tiny checkpoints scripts/hf/make_hf_fixtures.py writes (PyTorch reference models in HF layout)
// load through heed's sources, config registry, safetensors reader and tokenizer, and their
// reference outputs and gradients are consistent with their configs and weights.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@heed/tokenizers';
import { describe, expect, it } from 'vitest';
import { parseHfConfig, type HfConfig } from './config/hf-architectures';
import { numLabels } from './config/pretrained-config';
import { openSafetensorsNode } from './safetensors/safetensors-node';
import { folderSource } from './sources/folder-source-node';
import { openCheckpointWeights } from './sources/open-checkpoint-weights';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');
const names = readdirSync(fixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

interface Recorded { data: number[]; shape: number[] }
interface Reference {
  inputs: Record<string, number[][] | number[][][][]>;
  outputs: { last_hidden_state: Recorded; pooler_output?: Recorded; logits?: Recorded; hidden_states: Recorded[]; attentions: Recorded[] };
  labels?: unknown;
  loss?: number;
}

function sizes(config: HfConfig): { hidden: number; layers: number; heads: number; vocab?: number } {
  if (config.model_type === 'distilbert') return { hidden: config.dim, layers: config.n_layers, heads: config.n_heads, vocab: config.vocab_size };
  if (config.model_type === 'gpt2') return { hidden: config.n_embd, layers: config.n_layer, heads: config.n_head, vocab: config.vocab_size };
  if (config.model_type === 'vit') return { hidden: config.hidden_size, layers: config.num_hidden_layers, heads: config.num_attention_heads };
  return { hidden: config.hidden_size, layers: config.num_hidden_layers, heads: config.num_attention_heads, vocab: config.vocab_size };
}

describe('tiny Hugging Face checkpoints written by the PyTorch reference', () => {
  it('has the twelve checkpoints', () => {
    expect(names).toEqual([
      'bert-base-bf16', 'bert-mlm-f16', 'bert-seq-cls-f32', 'bert-token-cls-f32', 'distilbert-mlm-f32', 'distilbert-seq-cls-f32', 'distilbert-token-cls-f32',
      'roberta-mlm-f32', 'roberta-seq-cls-f32', 'roberta-token-cls-f32', 'vit-image-cls-f32', 'vit-no-qkv-bias-f32',
    ]);
  });

  it.each(names)('%s: config, weights, references and gradients agree', async (name) => {
    const source = folderSource(join(fixtures, name));
    const config = parseHfConfig(await source.readText('config.json'), `${name}/config.json`);
    const dtype = name.split('-').pop()!.toUpperCase();
    const { hidden, layers, heads, vocab } = sizes(config);
    const weights = await openCheckpointWeights(source);
    const floats = weights.names.filter((tensor) => weights.entry(tensor)!.dtype !== 'I64');
    expect(floats.map((tensor) => weights.entry(tensor)!.dtype)).toEqual(floats.map(() => dtype));
    const prefix = config.architectures[0]!.endsWith('Model') ? '' : `${config.model_type}.`;
    const embedding = config.model_type === 'vit' ? `${prefix}embeddings.position_embeddings` : `${prefix}embeddings.word_embeddings.weight`;
    const embeddingShape = weights.entry(embedding)?.shape;
    if (vocab !== undefined) expect(embeddingShape).toEqual([vocab, hidden]);
    else if (config.model_type === 'vit') expect(embeddingShape).toEqual([1, (config.image_size / config.patch_size) ** 2 + 1, hidden]);

    const reference = (await import(join(fixtures, name, 'reference.json'), { with: { type: 'json' } })).default as Reference;
    const batch = 2;
    const tokens = reference.outputs.last_hidden_state.shape[1]!;
    expect(reference.outputs.last_hidden_state.shape).toEqual([batch, tokens, hidden]);
    expect(reference.outputs.hidden_states.map((state) => state.shape)).toEqual(new Array(layers + 1).fill([batch, tokens, hidden]));
    expect(reference.outputs.attentions.map((state) => state.shape)).toEqual(new Array(layers).fill([batch, heads, tokens, tokens]));
    for (const attention of reference.outputs.attentions) {
      for (let row = 0; row < attention.data.length / tokens; row += 1) {
        const sum = attention.data.slice(row * tokens, (row + 1) * tokens).reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-4);
      }
    }
    if (config.architectures[0]!.endsWith('ForTokenClassification')) expect(reference.outputs.logits!.shape).toEqual([batch, tokens, numLabels(config)]);
    else if (config.architectures[0]!.endsWith('Classification')) expect(reference.outputs.logits!.shape).toEqual([batch, numLabels(config)]);
    if (config.architectures[0]!.endsWith('ForMaskedLM')) expect(reference.outputs.logits!.shape).toEqual([batch, tokens, vocab]);
    if (config.architectures[0] === 'BertModel') expect(reference.outputs.pooler_output!.shape).toEqual([batch, hidden]);
    if (config.model_type === 'vit') {
      // qkv_bias false: PyTorch's Linear(bias=False) projections store no bias at all.
      const projectionBiases = weights.names.filter((tensor) => /attention\.attention\.(query|key|value)\.bias$/.test(tensor));
      expect(projectionBiases.length).toBe(config.qkv_bias ? 3 * layers : 0);
    }

    if (reference.loss !== undefined) {
      const gradients = await openSafetensorsNode(join(fixtures, name, 'gradients.safetensors'));
      expect(Number(gradients.names.length)).toBeGreaterThan(20);
      for (const tensor of gradients.names) {
        expect(weights.entry(tensor)?.shape, tensor).toEqual(gradients.entry(tensor)!.shape);
      }
      // Every trainable weight has a gradient: the checkpoint minus buffers, the stored tied copy and a fixed sinusoidal table.
      const fixed = config.model_type === 'distilbert' && config.sinusoidal_pos_embds ? 'distilbert.embeddings.position_embeddings.weight' : '';
      const trainable = floats.filter((tensor) => tensor !== 'cls.predictions.decoder.weight' && tensor !== fixed);
      expect([...gradients.names].sort()).toEqual(trainable.sort());
      await gradients.close();
    }
    await weights.close();
  });

  it.each(['bert-seq-cls-f32', 'distilbert-seq-cls-f32'])('%s: @heed/tokenizers reads tokenizer.json to the reference input ids', async (name) => {
    const source = folderSource(join(fixtures, name));
    const tokenizer = Tokenizer.fromJSON(JSON.parse(await source.readText('tokenizer.json')));
    const reference = (await import(join(fixtures, name, 'reference.json'), { with: { type: 'json' } })).default as Reference;
    const batch = tokenizer.encodeBatch([['Hello, my dog is cute', 'the cat sat'], 'This film was not very good.'], { padding: 'longest' });
    expect(batch.map((encoding) => encoding.ids)).toEqual(reference.inputs.input_ids);
    expect(batch.map((encoding) => encoding.attentionMask)).toEqual(reference.inputs.attention_mask);
    if (reference.inputs.token_type_ids) expect(batch.map((encoding) => encoding.typeIds)).toEqual(reference.inputs.token_type_ids);
  });
});
