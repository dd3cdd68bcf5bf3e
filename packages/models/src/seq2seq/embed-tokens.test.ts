import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { embedTokens, embedTokensReference } from './embed-tokens';

await describeBackends(TEST_BACKENDS, () => {
  it('the gather equals the one-hot matMul in values and in the table gradient (repeated ids summed)', async () => {
    const table = tf.variable(tf.randomNormal([11, 5], 0, 1, 'float32', 1)); // (V, dim)
    const ids = tf.tensor2d([[3, 7, 3, 0], [10, 3, 7, 1]], [2, 4], 'int32'); // id 3 three times, 7 twice
    const cotangent = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 2);
    const fast = embedTokens(table, ids);
    const reference = embedTokensReference(table, ids);
    expect(fast.shape).toEqual([2, 4, 5]);
    await expectClose(fast, reference, { rtol: 0, atol: 0, label: 'embeddings' });
    const gradient = (embed: typeof embedTokens) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embed(t as tf.Tensor2D, ids), cotangent)))(table);
    const [fastGradient, referenceGradient] = [gradient(embedTokens), gradient(embedTokensReference)];
    await expectClose(fastGradient, referenceGradient, { rtol: 1e-6, atol: 1e-6, label: 'd table' });
    const optimizer = tf.train.sgd(0.1);
    await expectNoLeaks(() => optimizer.minimize(() => tf.sum(tf.mul(embedTokens(table, ids), cotangent)) as tf.Scalar), 'a training step');
    const column = tf.tensor1d([4, 4], 'int32');
    const rows = embedTokens(table, column); // (batch,) → (batch, dim)
    expect(rows.shape).toEqual([2, 5]);
    tf.dispose([table, ids, cotangent, fast, reference, fastGradient, referenceGradient, column, rows]);
    optimizer.dispose();
  });
});

it('looks up rows of a GPT-2-sized vocabulary without a (rows, V) one-hot', async () => {
  const table = tf.randomNormal([50257, 4], 0, 1, 'float32', 3) as tf.Tensor2D;
  const ids = tf.tensor2d([[50256, 15496, 0]], [1, 3], 'int32');
  const rows = embedTokens(table, ids);
  await expectClose(rows.slice([0, 1, 0], [1, 1, 4]).reshape([4]), table.slice([15496, 0], [1, 4]).reshape([4]), { rtol: 0, atol: 0, label: 'row 15496' });
  tf.dispose([table, ids, rows]);
});
