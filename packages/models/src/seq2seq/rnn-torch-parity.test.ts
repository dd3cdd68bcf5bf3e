import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describeBackends, expectNoLeaks } from '@heed/backends/testing';
import { describe, expect, it } from 'vitest';
import { Seq2Seq } from './seq2seq';
import type { Seq2SeqConfig } from './seq2seq-config';

interface TensorJson {
  shape: number[];
  data: number[];
}
interface ParityCase {
  config: Seq2SeqConfig;
  weights: Record<string, TensorJson>;
  source: number[][];
  target: number[][];
  logits: TensorJson;
}

// PyTorch's torch_g2p.G2P (the peer of RESULTS.md) with random weights, written by
// scripts/seq2seq/make-rnn-fixture.py in heed's weight names and layouts.
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/rnn-torch.json', import.meta.url), 'utf8')) as { cases: Record<string, ParityCase> };

function withFixtureWeights(c: ParityCase): Seq2Seq {
  const model = new Seq2Seq(c.config);
  const names = [...model.weights.variables.keys()].sort();
  expect(names).toEqual(Object.keys(c.weights).sort()); // every weight is covered, none is extra
  for (const [name, value] of Object.entries(c.weights)) {
    const variable = model.weights.variables.get(name)!;
    expect(variable.shape, name).toEqual(value.shape);
    tf.tidy(() => variable.assign(tf.tensor(value.data, value.shape, 'float32')));
  }
  return model;
}

await describeBackends(
  ['cpu', 'wasm', 'webgpu'],
  () => {
    describe.each(Object.keys(fixture.cases))('luong-general, %s', (name) => {
      const c = fixture.cases[name]!;
      it('gives PyTorch’s teacher-forced logits on a padded batch', async () => {
        const model = withFixtureWeights(c);
        await expectNoLeaks(async () => {
          const { logits, attention } = model.forward(c.source, c.target);
          expect(logits.shape).toEqual(c.logits.shape);
          const actual = await logits.data();
          let worst = 0;
          c.logits.data.forEach((expected, i) => (worst = Math.max(worst, Math.abs(actual[i]! - expected))));
          expect(worst).toBeLessThan(2e-4);
          tf.dispose([logits, attention]);
        }, name);
        model.dispose();
      });
    });
  },
);

// Training on the WebGPU backend in Node is a software adapter (~80 s for these 30 steps); the
// forward parity above already covers it.
await describeBackends(
  ['cpu', 'wasm'],
  () => {
    it('trains every layer of a 2-layer encoder: each weight gets a gradient and the loss falls', async () => {
      const c = fixture.cases['2 encoder layers']!;
      const model = new Seq2Seq({ ...c.config, dropout: 0.1, seed: 4 });
      const optimizer = tf.train.adam(0.02);
      const step = async (): Promise<number> => {
        const loss = optimizer.minimize(() => model.loss(c.source, c.target), true)!;
        const value = (await loss.data())[0]!;
        loss.dispose();
        return value;
      };
      await expectNoLeaks(async () => {
        const { value, grads } = tf.variableGrads(() => model.loss(c.source, c.target));
        for (const name of ['encoder/forward_2/kernel', 'encoder/backward_2/recurrent_kernel', 'encoder/forward/kernel', 'encoder/backward/kernel']) {
          const norm = tf.norm(grads[model.weights.variables.get(name)!.name]!);
          expect((await norm.data())[0]!, name).toBeGreaterThan(0);
          norm.dispose();
        }
        tf.dispose([value, ...Object.values(grads)]);
      }, '2-layer gradients');
      const losses = [await step()]; // the first step creates Adam's slots
      await expectNoLeaks(async () => {
        for (let i = 0; i < 29; i++) losses.push(await step());
      }, '2-layer training');
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
      optimizer.dispose();
      model.dispose();
    });
  },
);
