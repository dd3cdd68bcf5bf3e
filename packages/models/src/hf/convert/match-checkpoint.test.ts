import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseHfConfig } from '../config/hf-architectures';
import { openSafetensorsNode } from '../safetensors/safetensors-node';
import type { SafetensorsEntry } from '../safetensors/parse-safetensors-header';
import { hfWeightLayout } from './hf-weight-layout';
import { HfWeightsError, matchCheckpoint } from './match-checkpoint';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

async function checkpoint(name: string) {
  const folder = join(fixtures, name);
  const config = parseHfConfig((await import(join(folder, 'config.json'), { with: { type: 'json' } })).default as Record<string, unknown>);
  const reader = await openSafetensorsNode(folder);
  const entries: SafetensorsEntry[] = reader.names.map((tensor) => reader.entry(tensor)!);
  await reader.close();
  return { config, entries };
}

describe('matchCheckpoint on the PyTorch-written checkpoints', () => {
  it.each([
    ['bert-seq-cls-f32', ['bert.embeddings.position_ids']],
    ['bert-mlm-f16', ['cls.predictions.decoder.weight']],
    ['bert-base-bf16', []],
    ['roberta-seq-cls-f32', []],
    ['distilbert-seq-cls-f32', []],
    ['vit-image-cls-f32', []],
  ])('%s fits its own class exactly', async (name, ignored) => {
    const { config, entries } = await checkpoint(name);
    const layout = hfWeightLayout(config);
    const match = matchCheckpoint(layout, entries);
    expect(match.found.size).toBe(layout.tensors.length);
    expect(match.fresh).toEqual([]);
    expect(match.unused).toEqual([]);
    expect(match.ignored).toEqual(ignored);
    expect(match.warnings).toEqual([]);
    expect(match.found.size + ignored.length).toBe(entries.length);
  });

  it('a base checkpoint without prefix into a classifier: prefixed names found, a fresh head with a warning', async () => {
    const { config, entries } = await checkpoint('bert-base-bf16');
    const match = matchCheckpoint(hfWeightLayout(config, 'BertForSequenceClassification'), entries);
    expect(match.found.get('bert.encoder.layer.1.output.LayerNorm.bias')).toBe('encoder.layer.1.output.LayerNorm.bias');
    expect(match.found.get('bert.pooler.dense.weight')).toBe('pooler.dense.weight');
    expect(match.fresh).toEqual(['classifier.weight', 'classifier.bias']);
    expect(match.warnings).toEqual([
      'Some weights of BertForSequenceClassification were not in model.safetensors and are newly initialized: classifier.weight, classifier.bias. Train the model on a downstream task before using it for predictions.',
    ]);
  });

  it('a task checkpoint into the base model: found without the prefix, the head reported unused', async () => {
    const { config, entries } = await checkpoint('bert-seq-cls-f32');
    const match = matchCheckpoint(hfWeightLayout(config, 'BertModel'), entries);
    expect(match.found.get('embeddings.word_embeddings.weight')).toBe('bert.embeddings.word_embeddings.weight');
    expect(match.unused).toEqual(['classifier.weight', 'classifier.bias']);
    expect(match.warnings[0]).toMatch(/^Some weights of model\.safetensors were not used by BertModel: classifier\.weight, classifier\.bias\.$/);
  });

  it('an MLM checkpoint into a classifier: the pooler and classifier start fresh, the MLM head is unused', async () => {
    const { config, entries } = await checkpoint('bert-mlm-f16');
    const match = matchCheckpoint(hfWeightLayout(config, 'BertForSequenceClassification'), entries);
    expect(match.fresh).toEqual(['bert.pooler.dense.weight', 'bert.pooler.dense.bias', 'classifier.weight', 'classifier.bias']);
    expect(match.unused).toEqual(expect.arrayContaining(['cls.predictions.bias', 'cls.predictions.transform.dense.weight']));
  });

  it('names each tensor whose shape does not fit the config, and each missing base tensor', async () => {
    const { config, entries } = await checkpoint('bert-seq-cls-f32');
    const five = parseHfConfig({ ...JSON.parse(JSON.stringify({ ...config, id2label: undefined, label2id: undefined })), model_type: 'bert', num_labels: 5 });
    expect(() => matchCheckpoint(hfWeightLayout(five), entries, 'bert/model.safetensors')).toThrow(
      new HfWeightsError('bert/model.safetensors', 'tensor shapes do not fit BertForSequenceClassification (config.json and the weights disagree): classifier.weight: expected [5, 24], got [3, 24], classifier.bias: expected [5], got [3]'),
    );
    const without = entries.filter((entry) => !entry.name.includes('layer.1.attention.self.key'));
    expect(() => matchCheckpoint(hfWeightLayout(config), without)).toThrow(
      /BertForSequenceClassification needs tensors the checkpoint lacks: bert\.encoder\.layer\.1\.attention\.self\.key\.weight, bert\.encoder\.layer\.1\.attention\.self\.key\.bias$/,
    );
  });

  it('checks a stored tied copy against its tensor and rejects an unknown class', async () => {
    const { config, entries } = await checkpoint('bert-mlm-f16');
    const wrong = entries.map((entry) => (entry.name === 'cls.predictions.decoder.weight' ? { ...entry, shape: [7, 24] } : entry));
    expect(() => matchCheckpoint(hfWeightLayout(config), wrong)).toThrow(/cls\.predictions\.decoder\.weight \(tied to bert\.embeddings\.word_embeddings\.weight\): expected \[40, 24\], got \[7, 24\]/);
    expect(() => hfWeightLayout(config, 'BertForQuestionAnswering')).toThrow(/"BertForQuestionAnswering" has no weight layout for model_type bert/);
  });
});
