import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../__fixtures__/metrics.json';
import { tensorF1 } from './tensor-f1';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Logits whose argmax is `predicted` (noise elsewhere, below the chosen class). */
function logits(predicted: readonly number[], classes: number): tf.Tensor2D {
  return tf.tensor2d(predicted.map((label, row) => Array.from({ length: classes }, (_, column) => (column === label ? 2 : Math.sin(row * 7 + column)))));
}

describe('tensorF1 equals scikit-learn 1.2.1 f1_score', () => {
  it.each(fixtures.classification.map((entry) => [entry.name, entry] as const))('%s: macro, micro, weighted (and binary for two classes)', async (_, entry) => {
    const classes = entry.labels.length;
    const labels = tf.tensor1d(entry.yTrue, 'int32');
    const predictions = logits(entry.yPred, classes);
    for (const average of ['macro', 'micro', 'weighted'] as const) expect(await tensorF1({ average })(labels, predictions)).toBeCloseTo(entry[average].f1, 12);
    if (classes === 2) expect(await tensorF1({ average: 'binary' })(labels, predictions)).toBeCloseTo(entry.perClass.f1[1]!, 12);
    const oneHot = tf.oneHot(labels, classes);
    expect(await tensorF1()(oneHot, predictions)).toBeCloseTo(entry.macro.f1, 12);
    tf.dispose([labels, predictions, oneHot]);
  });

  it('names a wrong use', async () => {
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    const predictions = tf.eye(3);
    await expect(tensorF1({ average: 'binary' })(labels, predictions)).rejects.toThrow("tensorF1({ average: 'binary' }) needs 2 classes, but the predictions have 3; use 'macro'");
    expect(() => tensorF1({ average: 'samples' as 'macro' })).toThrow("tensorF1: average must be 'binary', 'macro', 'micro' or 'weighted', got samples");
    tf.dispose([labels, predictions]);
  });
});
