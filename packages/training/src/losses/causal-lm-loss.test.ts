// causalLmLoss and perplexity against PyTorch 1.13 (scripts/make-causal-lm-fixture.py: transformers'
// shift-inside, ignore_index -100, mean over the counted tokens), on every backend.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { describe, expect, it } from 'vitest';
import fixture from '../__fixtures__/causal-lm-loss.json';
import { groupTexts } from '../data/group-texts';
import { causalLmLoss } from './causal-lm-loss';
import { perplexity } from './perplexity';

interface Case {
  name: string;
  logits: { shape: [number, number, number]; data: number[] };
  labels: number[][];
  loss: number;
  gradient: number[];
}
const cases = fixture.cases as Case[];

await describeBackends(TEST_BACKENDS, () => {
  describe('causalLmLoss equals transformers (PyTorch 1.13)', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s: loss and its gradient (1e-5), no leaks', async (_name, c) => {
      const logits = tf.tensor3d(c.logits.data, c.logits.shape);
      const labels = tf.tensor2d(c.labels, undefined, 'int32');
      const [value, gradient] = await expectNoLeaks(() => {
        const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => causalLmLoss(labels, x))([logits]);
        return [value, grads[0]!];
      });
      expect((await value.data())[0]).toBeCloseTo(c.loss, 5);
      await expectClose(await gradient!.data(), c.gradient, { atol: 1e-5, rtol: 0, label: 'dloss/dlogits' });
      tf.dispose([logits, labels, value!, gradient!]);
    });

    it('shifts inside: the last position predicts nothing and the first label is never a target', async () => {
      const c = cases[0]!;
      const logits = tf.tensor3d(c.logits.data, c.logits.shape);
      const [batch, time, vocab] = c.logits.shape;
      // Changing the first label or the last position's logits leaves the loss as it is.
      const otherFirst = tf.tensor2d(c.labels.map((row) => [(row[0]! + 1) % vocab, ...row.slice(1)]), undefined, 'int32');
      const noisyLast = tf.tidy(() => tf.concat([tf.slice(logits, [0, 0, 0], [batch, time - 1, vocab]), tf.randomNormal([batch, 1, vocab], 0, 5, 'float32', 3)], 1));
      const labels = tf.tensor2d(c.labels, undefined, 'int32');
      const losses = [causalLmLoss(otherFirst, logits), causalLmLoss(labels, noisyLast)];
      for (const loss of losses) expect((await loss.data())[0]).toBeCloseTo(c.loss, 5);
      tf.dispose([logits, otherFirst, noisyLast, labels, ...losses]);
    });

    it('all labels -100 gives NaN, as PyTorch; bad shapes name both', async () => {
      const logits = tf.zeros([1, 3, 4]);
      const ignored = tf.tensor2d([[-100, -100, -100]], undefined, 'int32');
      const loss = causalLmLoss(ignored, logits);
      expect(Number.isNaN((await loss.data())[0])).toBe(true);
      expect(() => causalLmLoss(tf.zeros([1, 2], 'int32'), logits)).toThrow('causalLmLoss: labels have shape [1, 2] but logits [1, 3, 4] need labels of shape [1, 3]');
      expect(() => causalLmLoss(tf.zeros([1, 3], 'int32'), tf.zeros([3, 4]))).toThrow('causalLmLoss expects labels (batch, time) and logits (batch, time, vocab); got shape [1, 3] and shape [3, 4]');
      expect(() => causalLmLoss(tf.zeros([1, 1], 'int32'), tf.zeros([1, 1, 4]))).toThrow('sequences of 1 token have nothing to predict');
      tf.dispose([logits, ignored, loss]);
    });
  });

  describe('perplexity (run_clm: group into blocks, exp of the mean token loss)', () => {
    it('equals exp of the float64 mean NLL over every block, batched or not, and leaks nothing', async () => {
      // A fixed bigram table as the model: logits[b, t] = table[ids[b, t]].
      const vocab = 5;
      const table = tf.tensor2d(Array.from({ length: vocab * vocab }, (_, i) => Math.sin(i * 1.7) * 2), [vocab, vocab]);
      const logitsOf = (ids: tf.Tensor2D) => tf.gather(table, ids);
      const texts = [[0, 1, 2, 3, 4, 0, 2], [4, 4, 1, 0, 3, 2, 1, 1, 0]]; // 16 ids → 3 blocks of 5, 1 dropped
      const rows = (await table.array()) as number[][];
      const blocks = groupTexts(texts, 5);
      let sum = 0;
      for (const block of blocks) {
        for (let t = 0; t + 1 < block.length; t += 1) {
          const row = rows[block[t]!]!;
          const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
          sum -= row[block[t + 1]!]! - logSum;
        }
      }
      const expected = sum / 12;
      for (const batchSize of [1, 2, 8]) {
        const result = await expectNoLeaks(() => perplexity(logitsOf, texts, { blockSize: 5, batchSize }));
        expect(result.blocks).toBe(3);
        expect(result.tokens).toBe(12);
        expect(result.loss).toBeCloseTo(expected, 5);
        expect(result.perplexity).toBeCloseTo(Math.exp(expected), 4);
      }
      await expect(perplexity(logitsOf, [[1, 2, 3]], { blockSize: 5 })).rejects.toThrow('the held-out text has 3 tokens, fewer than one block of blockSize 5');
      await expect(perplexity(logitsOf, texts, { blockSize: 1 })).rejects.toThrow('blockSize must be an integer >= 2');
      table.dispose();
    });
  });
});

describe('groupTexts (run_clm group_texts)', () => {
  it('concatenates, cuts full blocks and drops the remainder', () => {
    expect(groupTexts([[1, 2, 3], [4, 5], [6, 7, 8]], 3)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(groupTexts([[1, 2]], 3)).toEqual([]);
    expect(() => groupTexts([[1]], 0)).toThrow('groupTexts: blockSize must be a positive integer; got 0');
  });
});
