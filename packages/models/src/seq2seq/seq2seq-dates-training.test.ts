import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectNoLeaks } from '@heed/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDates } from '../data/dates/dates-dataset';
import { datesVocabularies } from '../data/vocab/dates-vocabularies';
import { tokenizerVocabSize } from './g2p-task';
import { Seq2Seq } from './seq2seq';

/** Mean over target steps of the largest attention weight: 1/S for uniform attention, 1 for hard alignment. */
async function sharpness(attention: tf.Tensor4D): Promise<number> {
  const peak = tf.tidy(() => tf.mean(tf.max(attention, -1)));
  const value = (await peak.data())[0]!;
  peak.dispose();
  return value;
}

// Training runs on wasm only: the cpu backend is several times slower for these many small ops,
// and webgpu in Node is a slow software adapter. Budget: about 30 s of training.
describe('Seq2Seq on the synthetic dates task (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('trains: the loss falls clearly and the alignments sharpen within seconds', async () => {
    // Numeric formats only: short inputs keep each step cheap, and their alignments are digit copies.
    const examples = generateDates({ count: 1200, seed: 1, formats: ['dd.mm.yyyy', 'yyyy/mm/dd', 'yyyymmdd'] });
    const vocabularies = datesVocabularies(examples);
    const encode = (list: typeof examples) => ({
      source: list.map((e) => vocabularies.inputs.encode(e.input).ids),
      target: list.map((e) => vocabularies.targets.encode(e.target).ids),
    });
    const model = new Seq2Seq({
      sourceVocabSize: tokenizerVocabSize(vocabularies.inputs),
      targetVocabSize: tokenizerVocabSize(vocabularies.targets),
      attention: 'bahdanau',
      embeddingDim: 16,
      encoderUnits: 24,
      dropout: 0,
      seed: 1,
    });
    const probe = encode(examples.slice(0, 64));
    const before = model.forward(probe.source, probe.target);
    const sharpBefore = await sharpness(before.attention);
    const optimizer = tf.train.adam(0.02);
    const losses: number[] = [];
    const started = Date.now();
    // The first step creates Adam's moment variables (2 per weight); later steps must not add tensors.
    const warmup = encode(examples.slice(0, 32));
    optimizer.minimize(() => model.loss(warmup.source, warmup.target), true)?.dispose();
    await expectNoLeaks(async () => {
      for (let step = 1; step < 80 && Date.now() - started < 45_000; step++) {
        const start = (step * 32) % (examples.length - 32);
        const batch = encode(examples.slice(start, start + 32));
        const loss = optimizer.minimize(() => model.loss(batch.source, batch.target), true)!;
        losses.push((await loss.data())[0]!);
        loss.dispose();
      }
    }, 'training steps');
    const after = model.forward(probe.source, probe.target);
    const sharpAfter = await sharpness(after.attention);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    console.log(`[dates] ${losses.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s: loss ${first.toFixed(3)} → ${last.toFixed(3)}, attention peak ${sharpBefore.toFixed(3)} → ${sharpAfter.toFixed(3)}`);
    expect(losses.length).toBeGreaterThanOrEqual(30);
    expect(last).toBeLessThan(0.5 * first);
    expect(sharpAfter).toBeGreaterThan(2 * sharpBefore); // peak attention moves away from uniform (1/S)
    tf.dispose([before.logits, before.attention, after.logits, after.attention]);
    optimizer.dispose();
    model.dispose();
  });
});
