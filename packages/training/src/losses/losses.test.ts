import * as tf from '@tensorflow/tfjs';
import { expectNoLeaks } from '@heed/backends';
import { describeBackends, TEST_BACKENDS } from '@heed/backends/testing';
import { describe, expect, it } from 'vitest';
import fixtures from '../__fixtures__/metrics.json';
import { binaryCrossEntropy } from './binary-cross-entropy';
import { categoricalCrossEntropy } from './categorical-cross-entropy';
import { sequenceLoss } from './sequence-loss';
import { sparseCategoricalCrossEntropy } from './sparse-categorical-cross-entropy';

const value = async (tensor: tf.Tensor) => {
  const [number] = await tensor.data();
  tensor.dispose();
  return number!;
};

// Small ops, so the whole suite runs on every backend (cpu, wasm, and webgpu, which is software-emulated in Node).
await describeBackends(TEST_BACKENDS, () => {
  describe('cross-entropies equal scikit-learn log_loss', () => {
    const { probabilities, labels, logLoss } = fixtures.scores;

    it('categorical, from probabilities', async () => {
      const predictions = tf.tensor2d(probabilities);
      const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), 6);
      expect(await value(categoricalCrossEntropy(targets, predictions))).toBeCloseTo(logLoss, 5);
      tf.dispose([predictions, targets]);
    });

    it('sparse, from logits (log p) and from probabilities', async () => {
      const logits = tf.tidy(() => tf.log(tf.tensor2d(probabilities)));
      const probabilityTensor = tf.tensor2d(probabilities);
      const labelTensor = tf.tensor1d(labels, 'int32');
      expect(await value(sparseCategoricalCrossEntropy(labelTensor, logits))).toBeCloseTo(logLoss, 5);
      expect(await value(sparseCategoricalCrossEntropy(labelTensor, probabilityTensor, { fromLogits: false }))).toBeCloseTo(logLoss, 5);
      tf.dispose([logits, probabilityTensor, labelTensor]);
    });

    it('binary, from probabilities and from logits', async () => {
      const { probabilities: p, labels: y, logLoss: expected } = fixtures.binary;
      const predictions = tf.tensor1d(p);
      const logits = tf.tensor1d(p.map((probability) => Math.log(probability / (1 - probability))));
      const targets = tf.tensor1d(y);
      expect(await value(binaryCrossEntropy(targets, predictions))).toBeCloseTo(expected, 5);
      expect(await value(binaryCrossEntropy(targets, logits, { fromLogits: true }))).toBeCloseTo(expected, 5);
      tf.dispose([predictions, logits, targets]);
    });
  });

  describe('label smoothing', () => {
    it('matches the float64 formula (1-ε)·nll + ε·mean(-log p)', async () => {
      const rows = [
        [2, -1, 0.5, 3],
        [0, 0, 1, -2],
      ];
      const labels = [3, 1];
      const epsilon = 0.1;
      const reference =
        rows
          .map((row, index) => {
            const logSum = Math.log(row.reduce((sum, logit) => sum + Math.exp(logit), 0));
            const logProbability = row.map((logit) => logit - logSum);
            return (1 - epsilon) * -logProbability[labels[index]!]! + (epsilon * -logProbability.reduce((s, v) => s + v, 0)) / row.length;
          })
          .reduce((sum, loss) => sum + loss, 0) / rows.length;
      const logits = tf.tensor2d(rows);
      const labelTensor = tf.tensor1d(labels, 'int32');
      const oneHot = tf.oneHot(labelTensor, 4);
      expect(await value(sparseCategoricalCrossEntropy(labelTensor, logits, { labelSmoothing: epsilon }))).toBeCloseTo(reference, 5);
      expect(await value(categoricalCrossEntropy(oneHot, logits, { labelSmoothing: epsilon, fromLogits: true }))).toBeCloseTo(reference, 5);
      // Binary smoothing: targets 1 -> 0.95, 0 -> 0.05 at ε = 0.1.
      const binary = await value(binaryCrossEntropy(tf.tensor1d([1, 0]), tf.tensor1d([0.8, 0.3]), { labelSmoothing: epsilon }));
      const binaryReference = -(0.95 * Math.log(0.8) + 0.05 * Math.log(0.2) + 0.05 * Math.log(0.3) + 0.95 * Math.log(0.7)) / 2;
      expect(binary).toBeCloseTo(binaryReference, 5);
      tf.dispose([logits, labelTensor, oneHot]);
    });
  });

  describe('padding mask and per-token sequence loss', () => {
    it('a padded batch gives the mean over its real tokens only, whatever the padded logits are', async () => {
      const logits = tf.randomNormal([2, 4, 5], 0, 2, 'float32', 11); // (batch, time, vocabulary)
      const targets = tf.tensor2d([[1, 2, 3, 0], [4, 0, 0, 0]], undefined, 'int32'); // 4 real tokens, 0 = pad
      const loss = await value(sequenceLoss(targets, logits, { padId: 0 }));
      // Reference: gather the 4 real positions and take an unmasked mean.
      const rows = (await logits.array()) as number[][][];
      const real = [rows[0]![0]!, rows[0]![1]!, rows[0]![2]!, rows[1]![0]!];
      const realLogits = tf.tensor2d(real);
      const realTargets = tf.tensor1d([1, 2, 3, 4], 'int32');
      expect(loss).toBeCloseTo(await value(sparseCategoricalCrossEntropy(realTargets, realLogits)), 5);
      // Per token, not per sequence: the mean of the two sequence means would differ.
      const perSequence = (await value(sequenceLoss(targets.slice([0, 0], [1, 4]), logits.slice([0, 0, 0], [1, 4, 5]), { padId: 0 })) +
        (await value(sequenceLoss(targets.slice([1, 0], [1, 4]), logits.slice([1, 0, 0], [1, 4, 5]), { padId: 0 })))) / 2;
      expect(Math.abs(perSequence - loss)).toBeGreaterThan(1e-4);
      tf.dispose([logits, targets, realLogits, realTargets]);
    });

    it('gives finite gradients only on real tokens and leaks nothing', async () => {
      const logits = tf.tensor3d([[[50, -50, 0], [1, 2, 3]]]);
      const targets = tf.tensor2d([[1, 0]], undefined, 'int32');
      const gradient = await expectNoLeaks(() => tf.grad((x: tf.Tensor) => sequenceLoss(targets, x, { padId: 0 }))(logits));
      const values = Array.from(await gradient.data());
      expect(values.every(Number.isFinite)).toBe(true);
      expect(values.slice(3).map(Math.abs)).toEqual([0, 0, 0]); // the padded position gets no gradient
      tf.dispose([logits, targets, gradient]);
    });
  });

  describe('bad input', () => {
    it('names shapes and values', () => {
      const logits = tf.zeros([2, 3]);
      expect(() => sparseCategoricalCrossEntropy(tf.zeros([3], 'int32'), logits)).toThrow('labels have shape [3] but predictions [2,3] need labels of shape [2]');
      expect(() => categoricalCrossEntropy(tf.zeros([2, 4]), logits)).toThrow('targets have shape [2,4] but predictions have shape [2,3]');
      expect(() => sparseCategoricalCrossEntropy(tf.zeros([2], 'int32'), logits, { labelSmoothing: 1.5 })).toThrow('labelSmoothing must be in [0, 1), got 1.5');
      expect(() => sequenceLoss(tf.zeros([2], 'int32'), logits, { padId: 0 })).toThrow('sequenceLoss expects targets (batch, time)');
      logits.dispose();
    });
  });
});
