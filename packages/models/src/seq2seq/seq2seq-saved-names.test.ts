import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@heed/backends/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeedModel } from '../pretrained/heed-model-io';
import { pretrainedPath } from '../pretrained/load-pretrained-node';
import { Seq2Seq } from './seq2seq';

const FIXTURES = join(import.meta.dirname, '__fixtures__', 'positional-v2');
const POSITIONAL = /\/\d+:/;
let scratch: string;

beforeAll(async () => {
  await tf.setBackend('cpu'); // where the fixtures were written
  scratch = await mkdtemp(join(tmpdir(), 'heed-seq2seq-names-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** The weight names a saved folder holds: model.safetensors' tensors (the heed format) or model.json's manifest (the legacy layout). */
async function savedNames(dir: string): Promise<string[]> {
  if (existsSync(join(dir, 'config.json'))) return [...(await readHeedModel(dir)).tensors.keys()];
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string }[] }[] };
  return json.weightsManifest[0]!.weights.map((weight) => weight.name);
}

describe('Seq2Seq weight names', () => {
  it('names layer weights by role, as Keras-hub does (no positional <index>: names)', () => {
    const transformer = new Seq2Seq({ sourceVocabSize: 12, targetVocabSize: 9, attention: 'transformer', embeddingDim: 8, numLayers: 1, numHeads: 2, intermediateDim: 16 });
    const bahdanau = new Seq2Seq({ sourceVocabSize: 12, targetVocabSize: 9, attention: 'bahdanau', embeddingDim: 8, encoderUnits: 8 });
    const names = [...transformer.weights.variables.keys(), ...bahdanau.weights.variables.keys()];
    expect(names.filter((name) => POSITIONAL.test(name))).toEqual([]);
    expect(names).toEqual(
      expect.arrayContaining([
        'encoder/layer_0/self_attention/query/kernel',
        'encoder/layer_0/feedforward_output_dense/bias',
        'decoder/layer_0/cross_attention/value/kernel',
        'decoder/layer_0/cross_attention_layer_norm/gamma',
        'decoder/attention/query_kernel',
        'decoder/attention/score_vector',
      ]),
    );
    expect(transformer.weights.legacyNames().get('decoder/layer_0/0:kernel')).toBe('decoder/layer_0/self_attention/query/kernel');
    transformer.dispose();
    bahdanau.dispose();
  });

  for (const attention of ['transformer', 'bahdanau', 'local-p']) {
    it(`${attention}: a file saved with the positional names of earlier versions loads with its logits and tokens, and saves again by role`, async () => {
      const dir = join(FIXTURES, attention);
      const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as { source: number[][]; target: number[][]; logits: { shape: number[]; data: number[] }; greedy: number[][] };
      expect((await savedNames(dir)).some((name) => POSITIONAL.test(name))).toBe(true);
      const model = await Seq2Seq.load(`file://${dir}`);
      const reference = tf.tensor(expected.logits.data, expected.logits.shape);
      const { logits, attention: weights } = model.forward(expected.source, expected.target);
      await expectClose(logits, reference, { rtol: 1e-5, atol: 1e-5, label: `${attention} logits of the old file` });
      expect((await model.generate(expected.source)).map((result) => result.tokens)).toEqual(expected.greedy);
      const again = join(scratch, attention);
      await model.save(`file://${again}`);
      expect((await savedNames(again)).filter((name) => POSITIONAL.test(name))).toEqual([]);
      const reloaded = await Seq2Seq.load(`file://${again}`);
      const second = reloaded.forward(expected.source, expected.target);
      expect(Array.from(await second.logits.data())).toEqual(Array.from(await logits.data()));
      tf.dispose([reference, logits, weights, second.logits, second.attention]);
      model.dispose();
      reloaded.dispose();
    });
  }

  it('the shipped g2p model (re-exported from its positional attention names) is saved and loads under the role names', async () => {
    const names = await savedNames(pretrainedPath('g2p'));
    expect(names).toContain('decoder/attention/kernel');
    expect(names.filter((name) => POSITIONAL.test(name))).toEqual([]);
    const g2p = await Seq2Seq.load(`file://${pretrainedPath('g2p')}`);
    expect(g2p.weights.variables.has('decoder/attention/kernel')).toBe(true);
    g2p.dispose();
  });
});
