import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from './expect-no-leaks';
import { createLeakGuard } from './leak-guard';
import { TensorLeakError } from './tensor-leak-error';

describe('expectNoLeaks', () => {
  it('passes tidy work and ignores the tensor it returns', async () => {
    const result = await expectNoLeaks(() => tf.tidy(() => tf.ones([2]).add(1)));
    expect(Array.from(await result.data())).toEqual([2, 2]);
    result.dispose();
  });

  it('fails leaking work with the count', async () => {
    let leaked: tf.Tensor | undefined;
    await expect(
      expectNoLeaks(() => {
        leaked = tf.ones([2]).add(1); // the ones([2]) intermediate leaks, and so does `leaked`
      }, 'leaky step'),
    ).rejects.toThrow(/leaky step leaked 2 tensor\(s\)/);
    tf.dispose(leaked!);
  });
});

describe('createLeakGuard', () => {
  it('allows warm-up allocations and stops at the first growing step, naming it', () => {
    const guard = createLeakGuard();
    const kept: tf.Tensor[] = [tf.ones([1])]; // step 0 allocates state on purpose (warm-up)
    guard.check(0);
    expect(guard.baseline).toBe(tf.memory().numTensors);
    guard.check(1); // steady
    kept.push(tf.ones([1])); // step 2 leaks
    let error: unknown;
    try {
      guard.check(2);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TensorLeakError);
    expect((error as Error).message).toMatch(/^training step 2 leaked 1 tensor\(s\)/);
    tf.dispose(kept);
  });

  it('checks a real optimizer loop without false alarms', () => {
    const weight = tf.variable(tf.randomNormal([4, 1], 0, 1, 'float32', 3));
    const x = tf.randomNormal([16, 4], 0, 1, 'float32', 4);
    const y = tf.randomNormal([16, 1], 0, 1, 'float32', 5);
    const optimizer = tf.train.adam(0.01);
    const guard = createLeakGuard();
    for (let step = 0; step < 5; step++) {
      optimizer.minimize(() => tf.losses.meanSquaredError(y, x.matMul(weight)) as tf.Scalar);
      guard.check(step);
    }
    tf.dispose([weight, x, y]);
    optimizer.dispose();
  });
});
