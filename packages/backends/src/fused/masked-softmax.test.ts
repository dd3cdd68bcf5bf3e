import * as tf from '@tensorflow/tfjs';
import { centralDifference, describeBackends, expectClose, expectNoLeaks, seededValues, TEST_BACKENDS } from '../testing/index';
import { expect, it } from 'vitest';
import { maskedSoftmax } from './masked-softmax';

// (2 rows × 3 groups, 5 keys); row 4 is fully masked.
const [rows, keys] = [6, 5];
const allowed = [
  [1, 1, 1, 1, 1],
  [1, 0, 1, 0, 1],
  [0, 0, 0, 0, 1],
  [1, 1, 0, 0, 0],
  [0, 0, 0, 0, 0],
  [0, 1, 1, 1, 0],
];
const scoreValues = seededValues(rows * keys, 31).map((x) => 4 * x);
const cotangentValues = seededValues(rows * keys, 32);

/** Float64 loss Σ cotangent · maskedSoftmax(scores), a loop over visible keys. */
function referenceLoss(scores: readonly number[]): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const row = scores.slice(r * keys, (r + 1) * keys);
    const visible = allowed[r]!;
    const max = Math.max(...row.filter((_, s) => visible[s]), -Infinity);
    const exps = row.map((x, s) => (visible[s] ? Math.exp(x - max) : 0));
    const total = exps.reduce((sum, x) => sum + x, 0);
    exps.forEach((x, s) => (loss += (total > 0 ? x / total : 0) * cotangentValues[r * keys + s]!));
  }
  return loss;
}

await describeBackends(TEST_BACKENDS, () => {
  it('has the gradient of the float64 reference for bool, int32 and float 0/1 masks; exactly zero at masked keys', async () => {
    const scores = tf.tensor2d(scoreValues, [rows, keys]);
    const cotangent = tf.tensor2d(cotangentValues, [rows, keys]);
    const expected = centralDifference(referenceLoss, scoreValues);
    const masks = { int32: tf.tensor2d(allowed, undefined, 'int32'), bool: tf.tensor2d(allowed, undefined, 'bool'), float32: tf.tensor2d(allowed) };
    for (const [name, mask] of Object.entries(masks)) {
      const gradient = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(x, mask), cotangent)))(scores);
      await expectClose(gradient, expected, { rtol: 1e-4, atol: 1e-5, label: `${name} mask gradient` });
      const values = await gradient.data();
      allowed.flat().forEach((visible, index) => {
        if (!visible) expect(Math.abs(values[index]!), `${name} gradient at masked index ${index}`).toBe(0);
      });
      gradient.dispose();
    }
    await expectNoLeaks(() => tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(x, masks.bool), cotangent)))(scores)), 'maskedSoftmax backward');
    await expectNoLeaks(() => maskedSoftmax(scores, masks.int32), 'maskedSoftmax forward');
    tf.dispose([scores, cotangent, ...Object.values(masks)]);
  });
});
