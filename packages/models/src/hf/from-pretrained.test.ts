import * as tf from '@tensorflow/tfjs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@heed/backends';
import { fromPretrained } from './from-pretrained';
import type { HfModel } from './hf-model';
import { writeSafetensorsNode } from './safetensors/safetensors-node';
import { folderSource } from './sources/folder-source-node';
import { expectClose } from '@heed/backends/testing';
import { disposeInputs, HF_FIXTURES, hfReference, readSafetensors, textInputs } from './testing/hf-fixtures';

let scratch: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  scratch = await mkdtemp(join(tmpdir(), 'heed-from-pretrained-'));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

/** A copy of a fixture folder with its config.json edited and/or its tensors filtered. */
async function variant(fixture: string, name: string, edit: { config?: (json: Record<string, unknown>) => void; keep?: (tensor: string) => boolean } = {}): Promise<string> {
  const folder = join(scratch, name);
  await cp(join(HF_FIXTURES, fixture), folder, { recursive: true });
  const json = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  edit.config?.(json);
  await writeFile(join(folder, 'config.json'), JSON.stringify(json));
  if (edit.keep) {
    const tensors = await readSafetensors(join(folder, 'model.safetensors'));
    const kept = Object.fromEntries([...tensors].filter(([tensor]) => edit.keep!(tensor)).map(([tensor, value]) => [tensor, { shape: value.shape, data: value.data }]));
    await writeSafetensorsNode(join(folder, 'model.safetensors'), kept);
  }
  return folder;
}

/** Loads expecting an error; checks that no tensor stayed allocated. */
async function loadError(folder: string, options = {}): Promise<Error> {
  const before = tf.memory().numTensors;
  const error = await fromPretrained(folderSource(folder), { onWarning: () => undefined, ...options }).then(
    (model: HfModel) => { model.dispose(); return new Error('expected fromPretrained to fail'); },
    (caught: Error) => caught,
  );
  expect(tf.memory().numTensors).toBe(before);
  return error;
}

describe('fromPretrained', () => {
  it('picks the class from config.json; ignored buffers (position_ids) and the stored tied decoder raise no warning', async () => {
    for (const [fixture, architecture, count] of [['bert-seq-cls-f32', 'BertForSequenceClassification', 41], ['bert-mlm-f16', 'BertForMaskedLM', 42]] as const) {
      const warnings: string[] = [];
      const before = tf.memory().numTensors;
      const model = await fromPretrained(folderSource(join(HF_FIXTURES, fixture)), { onWarning: (message) => warnings.push(message) });
      expect(model.architecture).toBe(architecture);
      expect(model.config.architectures).toEqual([architecture]);
      expect(model.weights.length).toBe(count);
      expect(model.weights[0]!.name).toBe('bert.embeddings.word_embeddings.weight');
      expect(warnings).toEqual([]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a base-model checkpoint (no bert. prefix) gets a fresh head with a warning, as from_pretrained does', async () => {
    const warnings: string[] = [];
    // BertModel.save_pretrained's layout: no prefix, a pooler, BF16 (hidden_act edited to gelu: the head is the subject here).
    const folder = await variant('bert-base-bf16', 'base', { config: (json) => { json.hidden_act = 'gelu'; } });
    const model = await fromPretrained(folderSource(folder), {
      architecture: 'BertForSequenceClassification', numLabels: 4, onWarning: (message) => warnings.push(message),
    });
    expect(model.config.id2label).toEqual({ 0: 'LABEL_0', 1: 'LABEL_1', 2: 'LABEL_2', 3: 'LABEL_3' });
    expect(warnings).toEqual([
      expect.stringMatching(/^Some weights of BertForSequenceClassification were not in .*model\.safetensors and are newly initialized: classifier\.weight, classifier\.bias\. Train the model/),
    ]);
    const base = await readSafetensors(join(HF_FIXTURES, 'bert-base-bf16', 'model.safetensors'));
    const loaded = model.weights.find((weight) => weight.name === 'bert.embeddings.word_embeddings.weight')!;
    expect(Array.from(await loaded.variable.data())).toEqual(Array.from(base.get('embeddings.word_embeddings.weight')!.data));
    const classifier = Array.from(await model.weights.find((weight) => weight.name === 'classifier.weight')!.variable.data());
    const std = Math.sqrt(classifier.reduce((sum, value) => sum + value * value, 0) / classifier.length);
    expect(std).toBeGreaterThan(0.01); // normal(0, initializer_range 0.02)
    expect(std).toBeLessThan(0.04);
    model.dispose();
  });

  it('a new numLabels replaces a head of another size (ignore_mismatched_sizes) with a warning naming both shapes', async () => {
    const warnings: string[] = [];
    const model = await fromPretrained(folderSource(join(HF_FIXTURES, 'bert-seq-cls-f32')), { numLabels: 5, onWarning: (message) => warnings.push(message) });
    expect(warnings.join('\n')).toMatch(/classifier\.weight: found shape \[3, 24\] in the checkpoint and \[5, 24\] in the model instantiated/);
    const logits = model.forward({ input_ids: tf.tensor2d([[2, 5, 3]], undefined, 'int32') }).logits!;
    expect(logits.shape).toEqual([1, 5]);
    tf.dispose(logits);
    model.dispose();
  });

  it('a missing base tensor is an error naming it; nothing stays allocated', async () => {
    const folder = await variant('bert-seq-cls-f32', 'missing', { keep: (tensor) => tensor !== 'bert.encoder.layer.1.output.dense.weight' });
    expect((await loadError(folder)).message).toMatch(/BertForSequenceClassification needs tensors the checkpoint lacks: bert\.encoder\.layer\.1\.output\.dense\.weight/);
  });

  it('config.json and the weights disagreeing on a shape names the tensor and both shapes', async () => {
    const folder = await variant('bert-seq-cls-f32', 'intermediate', { config: (json) => { json.intermediate_size = 30; } });
    expect((await loadError(folder)).message).toMatch(/bert\.encoder\.layer\.0\.intermediate\.dense\.weight: expected \[30, 24\], got \[32, 24\]/);
  });

  it('a vocabulary size other than the embedding rows is an error naming both', async () => {
    const folder = await variant('distilbert-seq-cls-f32', 'vocabulary', { config: (json) => { json.vocab_size = 50; } });
    expect((await loadError(folder)).message).toMatch(/config\.json vocab_size is 50 but distilbert\.embeddings\.word_embeddings\.weight has 40 rows \(shape \[40, 24\]\)/);
  });

  it('an architecture heed does not implement lists the ones it does', async () => {
    expect((await loadError(join(HF_FIXTURES, 'bert-seq-cls-f32'), { architecture: 'BertForPreTraining' })).message)
      .toMatch(/options architecture: "BertForPreTraining" is not a class heed implements for model_type bert; implemented: BertModel, BertForSequenceClassification, BertForMaskedLM, BertForTokenClassification/);
    expect((await loadError(join(HF_FIXTURES, 'bert-seq-cls-f32'), { architecture: 'RobertaModel' })).message).toMatch(/"RobertaModel" is not a class heed implements for model_type bert/);
  });

  it('input longer than max_position_embeddings is truncated with a warning naming both lengths', async () => {
    const warnings: string[] = [];
    const model = await fromPretrained(folderSource(join(HF_FIXTURES, 'roberta-seq-cls-f32')), { onWarning: (message) => warnings.push(message) });
    const ids = tf.tensor2d([Array.from({ length: 20 }, (_, i) => (i === 0 ? 0 : 3 + (i % 30)))], undefined, 'int32');
    const before = tf.memory().numTensors;
    const output = model.forward({ input_ids: ids, attention_mask: tf.onesLike(ids) as tf.Tensor2D });
    expect(warnings).toEqual(['input of 20 tokens is longer than 16 (max_position_embeddings 18 less pad_token_id + 1): truncated to its first 16 tokens']);
    expect(output.last_hidden_state.shape).toEqual([1, 16, 24]);
    tf.dispose([output.last_hidden_state, output.logits!]);
    expect(tf.memory().numTensors).toBe(before + 1); // the caller's onesLike mask
    ids.dispose();
    model.dispose();
  });
  it('ids outside [0, vocab_size) and token types outside [0, type_vocab_size) name the argument, the position and the value', async () => {
    const bert = await fromPretrained(folderSource(join(HF_FIXTURES, 'bert-seq-cls-f32')), { onWarning: () => undefined });
    const distilbert = await fromPretrained(folderSource(join(HF_FIXTURES, 'distilbert-seq-cls-f32')), { onWarning: () => undefined });
    const ids = (rows: number[][], dtype: 'int32' | 'float32' = 'int32') => tf.tensor2d(rows, undefined, dtype);
    const cases: Array<[HfModel, () => Parameters<HfModel['forward']>[0], string]> = [
      [bert, () => ({ input_ids: ids([[2, 5, 3], [2, 40, 3]]) }), 'forward: input_ids[1][1] = 40 is outside [0, vocab_size 40)'],
      [bert, () => ({ input_ids: ids([[2, -1, 3]]) }), 'forward: input_ids[0][1] = -1 is outside [0, vocab_size 40)'],
      [bert, () => ({ input_ids: ids([[2, 1.5, 3]], 'float32') }), 'forward: input_ids[0][1] = 1.5 is not an integer id'],
      [bert, () => ({ input_ids: ids([[2, 5, 3]]), token_type_ids: ids([[0, 0, 2]]) }), 'forward: token_type_ids[0][2] = 2 is outside [0, type_vocab_size 2)'],
      [distilbert, () => ({ input_ids: ids([[2, 5, 3, 41]]) }), 'forward: input_ids[0][3] = 41 is outside [0, vocab_size 40)'],
    ];
    for (const [model, inputs, message] of cases) {
      const given = inputs();
      const before = tf.memory().numTensors;
      expect(() => model.forward(given)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(Object.values(given) as tf.Tensor[]);
    }
    // DistilBERT has no token types: it ignores them, as HF does.
    const types = { input_ids: ids([[2, 5, 3]]), token_type_ids: ids([[0, 7, 9]]) };
    const output = distilbert.forward(types);
    expect(output.logits!.shape).toEqual([1, 2]);
    tf.dispose([...Object.values(types), output.logits!, output.last_hidden_state]);
    bert.dispose();
    distilbert.dispose();
  });
  it('RobertaForTokenClassification and DistilBertForTokenClassification come from architectures alone (no model_type) and give PyTorch\'s logits', async () => {
    for (const [fixture, architecture] of [['roberta-token-cls-f32', 'RobertaForTokenClassification'], ['distilbert-token-cls-f32', 'DistilBertForTokenClassification']] as const) {
      const folder = await variant(fixture, `${fixture}-no-model-type`, { config: (json) => delete json.model_type });
      const model = await fromPretrained(folderSource(folder), { onWarning: () => undefined });
      expect(model.architecture).toBe(architecture);
      expect(model.constructor.name).toBe(architecture);
      const reference = await hfReference(fixture);
      const inputs = textInputs(reference);
      const { logits, last_hidden_state } = model.forward(inputs);
      expect(logits!.shape).toEqual(reference.outputs.logits!.shape);
      await expectClose(logits!, reference.outputs.logits!.data, { atol: 1e-5, rtol: 0, label: `${fixture} logits` });
      tf.dispose([logits!, last_hidden_state]);
      disposeInputs(inputs);
      model.dispose();
    }
  });
});
