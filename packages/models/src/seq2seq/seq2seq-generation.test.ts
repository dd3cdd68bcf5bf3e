import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { fusedAttentionFastPath, setAttentionFastPath } from '@heed/attention';
import { expect, it } from 'vitest';
import { greedySearch } from '../samplers/greedy-search';
import type { DecodedSequence } from './decoding-session';
import { Seq2Seq } from './seq2seq';
import type { Seq2SeqConfig } from './seq2seq-config';

const SOURCE = [[4, 5, 6, 7, 8], [9, 10], [11, 4, 5]];
const TARGET = [[2, 4, 5, 6, 3], [2, 7, 3], [2, 8, 8, 3]];
const config: Seq2SeqConfig = { sourceVocabSize: 12, targetVocabSize: 9, attention: 'transformer', embeddingDim: 8, numLayers: 2, numHeads: 2, intermediateDim: 16, dropout: 0.1, maxSourceLength: 10, maxTargetLength: 8, seed: 3 };

async function trained(): Promise<Seq2Seq> {
  const model = new Seq2Seq(config);
  const optimizer = tf.train.adam(0.05);
  for (let i = 0; i < 10; i++) optimizer.minimize(() => model.loss(SOURCE, TARGET));
  optimizer.dispose();
  return model;
}

function expectSameSequences(cached: DecodedSequence[], reference: DecodedSequence[]): void {
  expect(cached.map((r) => r.tokens)).toEqual(reference.map((r) => r.tokens));
  expect(cached.map((r) => r.finished)).toEqual(reference.map((r) => r.finished));
  cached.forEach((result, row) => {
    expect(result.logProb).toBeCloseTo(reference[row]!.logProb, 4);
    result.alignment.flat(2).forEach((weight, i) => expect(weight).toBeCloseTo(reference[row]!.alignment.flat(2)[i]!, 5));
  });
}

await describeBackends(TEST_BACKENDS, () => {
  it('Transformer generation with the key/value cache gives the tokens, logits and alignments of re-running the prefix (greedy, beam)', async () => {
    const model = await trained();
    // Step by step on the same tokens: the logits of every step agree.
    const [cachedSession, referenceSession] = [model.decoderSession(SOURCE, { useCache: true }), model.decoderSession(SOURCE, { useCache: false })];
    const tokens = Int32Array.from([2, 2, 2]);
    for (let step = 0; step < 6; step++) {
      const [cached, reference] = [await cachedSession.step(tokens), await referenceSession.step(tokens)];
      await expectClose(tf.tensor(cached.logits), tf.tensor(reference.logits), { rtol: 1e-5, atol: 1e-5, label: `logits of step ${step}` });
      expect(cached.trace!(1).flat().length).toBe(4 * SOURCE[0]!.length); // layers·heads maps over the padded source
      tokens.set([4 + (step % 5), 7, 8]);
    }
    cachedSession.dispose();
    referenceSession.dispose();
    expectSameSequences(await model.generate(SOURCE, { useCache: true }), await model.generate(SOURCE, { useCache: false }));
    expectSameSequences(await model.generate(SOURCE, { beamSize: 3, useCache: true }), await model.generate(SOURCE, { beamSize: 3, useCache: false }));
    await expectNoLeaks(() => model.generate(SOURCE, { beamSize: 2 }), 'cached beam search');
    model.dispose();
  });

  it('the Transformer loss runs the fused attention kernel (nobody asks for weights) and equals the reference path, values and gradients', async () => {
    const model = new Seq2Seq(config);
    let fused = 0;
    setAttentionFastPath((...args) => {
      const result = fusedAttentionFastPath(...args);
      if (result) fused++;
      return result;
    });
    try {
      const loss = () => model.loss(SOURCE, TARGET, { training: false });
      const fast = tf.variableGrads(loss, model.trainableVariables);
      expect(fused, 'encoder self-attention and decoder self- and cross-attention, 2 layers each').toBe(6);
      setAttentionFastPath(undefined);
      const reference = tf.variableGrads(loss, model.trainableVariables);
      await expectClose(fast.value, reference.value, { rtol: 1e-5, atol: 1e-6, label: 'loss' });
      for (const [name, gradient] of Object.entries(fast.grads)) await expectClose(gradient, reference.grads[name]!, { rtol: 1e-3, atol: 1e-5, label: `d${name}` });
      tf.dispose([fast.value, reference.value, ...Object.values(fast.grads), ...Object.values(reference.grads)]);
    } finally {
      setAttentionFastPath(fusedAttentionFastPath);
      model.dispose();
    }
  });
}, { skip: { webgpu: 'webgpu in Node is a slow software adapter; the cache itself is checked there at the block level (attention/src/blocks/transformer-decoder-cache.test.ts)' } });

it('samples with a seed (same seed, same tokens); top-k 1 is greedy; sampling rejects a beam', async () => {
  await tf.setBackend('cpu');
  const model = await trained();
  const options = { doSample: true, temperature: 1.5, topP: 0.9, seed: 11 } as const;
  const first = await model.generate(SOURCE, options);
  expect((await model.generate(SOURCE, options)).map((r) => r.tokens)).toEqual(first.map((r) => r.tokens));
  expect((await model.generate(SOURCE, { doSample: true, topK: 1, seed: 5 })).map((r) => r.tokens)).toEqual((await model.generate(SOURCE)).map((r) => r.tokens));
  await expect(model.generate(SOURCE, { doSample: true, beamSize: 2 })).rejects.toThrow('Seq2Seq.generate: doSample draws one sequence per source, so beamSize must be 1; got 2');
  // Any sampler runs on a decoder session: 8 steps without an end token.
  const session = model.decoderSession([[4, 5]]);
  const [open] = await greedySearch(session, { startTokens: model.config.bosId, maxLength: 8 });
  session.dispose();
  expect(open!.tokens).toHaveLength(8);
  model.dispose();
});

it('loads a Transformer model saved with the hand-built decoder layers of earlier versions (weight names mapped on load): same logits and tokens', async () => {
  await tf.setBackend('cpu'); // where the fixture was written
  const dir = join(import.meta.dirname, '__fixtures__', 'transformer-v1');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
    source: number[][];
    target: number[][];
    logits: { shape: number[]; data: number[] };
    greedy: DecodedSequence[];
    beam: DecodedSequence[];
  };
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string }[] }[] };
  expect(json.weightsManifest[0]!.weights.map((w) => w.name)).toContain('decoder/layer_0/self_attention/0:kernel'); // the old names
  const model = await Seq2Seq.load(`file://${dir}`);
  const { logits, attention } = model.forward(expected.source, expected.target);
  await expectClose(logits, tf.tensor(expected.logits.data, expected.logits.shape), { rtol: 1e-5, atol: 1e-5, label: 'logits of the old file' });
  const greedy = await model.generate(expected.source);
  const beam = await model.generate(expected.source, { beamSize: 3 });
  expect(greedy.map((r) => r.tokens)).toEqual(expected.greedy.map((r) => r.tokens));
  expect(beam.map((r) => r.tokens)).toEqual(expected.beam.map((r) => r.tokens));
  // (The old greedy log-probabilities on cpu are not a reference: that version's reference step kept a
  // view of the sampler's reused token array as the first prefix column, so bos was overwritten.)
  beam.forEach((result, row) => expect(result.logProb).toBeCloseTo(expected.beam[row]!.logProb, 4));
  tf.dispose([logits, attention]);
  model.dispose();
});
