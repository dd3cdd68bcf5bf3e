import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { describeBackends, TEST_BACKENDS } from './describe-backends';
import { expectClose } from './expect-close';

const ran: string[] = [];

await describeBackends(TEST_BACKENDS, (backend) => {
  it('activates its backend and computes softmax on it', async () => {
    expect(tf.getBackend()).toBe(backend);
    ran.push(backend);
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 1000],
    ]);
    const probabilities = tf.softmax(logits);
    // Independent reference: exp(x - max) / sum, computed in float64 here.
    const reference = [[1, 2, 3], [0, 0, 1000]].flatMap((row) => {
      const max = Math.max(...row);
      const exps = row.map((value) => Math.exp(value - max));
      const total = exps.reduce((sum, value) => sum + value, 0);
      return exps.map((value) => value / total);
    });
    await expectClose(probabilities, reference, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([logits, probabilities]);
  });
});

await describeBackends(['cpu'], () => {
  it('is skipped with its reason', () => {
    throw new Error('a skipped backend must not run');
  });
}, { skip: { cpu: 'skipped on purpose by this test' } });

it('ran the suite on cpu and wasm at least', () => {
  expect(ran).toEqual(expect.arrayContaining(['cpu', 'wasm']));
});
