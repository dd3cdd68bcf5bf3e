import * as tf from '@tensorflow/tfjs';
import { expectNoLeaks, initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { adam } from './adam';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { sgd } from './sgd';
import type { NamedVariable, TrainingOptimizer } from './training-optimizer';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Runs `steps` updates of a least-squares problem; returns the weights. */
async function run(optimizer: TrainingOptimizer | tf.Optimizer, steps: number, learningRate: number): Promise<Float32Array> {
  const weight = tf.variable(tf.tensor2d([[0.5], [-0.3], [0.2]]), true, `w${Math.random()}`);
  const x = tf.tensor2d([[1, 2, 3], [0, -1, 2], [1, 1, 1], [2, 0, -1]]);
  const y = tf.tensor2d([[1], [0], [2], [-1]]);
  const variables: NamedVariable[] = [{ name: 'w', variable: weight }];
  for (let step = 0; step < steps; step++) {
    const loss = () => tf.losses.meanSquaredError(y, x.matMul(weight)) as tf.Scalar;
    if (optimizer instanceof tf.Optimizer) optimizer.minimize(loss);
    else {
      const { value, grads } = tf.variableGrads(loss, [weight]);
      optimizer.applyGradients(variables, { w: grads[weight.name]! }, learningRate);
      tf.dispose([value, grads]);
    }
  }
  const values = (await weight.data()) as Float32Array;
  tf.dispose([weight, x, y]);
  return values;
}

describe('optimizers match tfjs references', () => {
  it('adam equals tf.train.adam', async () => {
    const ours = adam({ epsilon: 1e-7 });
    const reference = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    await expectClose(await run(ours, 20, 0.05), await run(reference, 20, 0.05), { rtol: 1e-5, atol: 1e-6 });
    ours.dispose();
    reference.dispose();
  });

  it('sgd with momentum equals tf.train.momentum', async () => {
    const ours = sgd({ momentum: 0.9 });
    const reference = tf.train.momentum(0.01, 0.9);
    await expectClose(await run(ours, 20, 0.01), await run(reference, 20, 0.01), { rtol: 1e-5, atol: 1e-6 });
    ours.dispose();
    reference.dispose();
  });

  it('adamw decays weights by lr·λ outside the adaptive step (zero gradient: w·(1-lr·λ)^n)', async () => {
    const optimizer = adam({ weightDecay: 0.1 });
    const weight = tf.variable(tf.tensor1d([2, -4]));
    const variables = [{ name: 'w', variable: weight }];
    const zero = tf.zeros([2]);
    for (let step = 0; step < 3; step++) optimizer.applyGradients(variables, { w: zero }, 0.5);
    await expectClose(weight, [2 * 0.95 ** 3, -4 * 0.95 ** 3]);
    expect(optimizer.config.name).toBe('adamw');
    tf.dispose([weight, zero]);
    optimizer.dispose();
  });

  it('does not leak once its slots exist', async () => {
    const optimizer = sgd({ momentum: 0.5, nesterov: true });
    const weight = tf.variable(tf.ones([4]));
    const gradient = tf.ones([4]);
    optimizer.applyGradients([{ name: 'w', variable: weight }], { w: gradient }, 0.1);
    await expectNoLeaks(() => {
      for (let step = 0; step < 5; step++) optimizer.applyGradients([{ name: 'w', variable: weight }], { w: gradient }, 0.1);
    });
    tf.dispose([weight, gradient]);
    optimizer.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients by maxNorm / globalNorm when above, and leaves them when below', async () => {
    const gradients = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // global norm 5
    const { clipped, globalNorm } = clipByGlobalNorm(gradients, 1);
    expect((await globalNorm.data())[0]).toBeCloseTo(5, 6);
    await expectClose(clipped.a!, [0.6, 0]);
    await expectClose(clipped.b!, tf.tensor2d([[0, 0.8]]));
    const untouched = clipByGlobalNorm(gradients, 10);
    await expectClose(untouched.clipped.b!, tf.tensor2d([[0, 4]]));
    tf.dispose([gradients, clipped, globalNorm, untouched.clipped, untouched.globalNorm]);
    expect(() => clipByGlobalNorm(gradients, 0)).toThrow('maxNorm must be a positive number, got 0');
  });
});
