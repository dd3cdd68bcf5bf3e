import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { AttentionPooling } from './attention-pooling';

await describeBackends(TEST_BACKENDS, () => {
  it('pools Σ α_t h_t and gives padding exactly zero weight', async () => {
    const pool = new AttentionPooling({ units: 4 });
    const states = tf.randomNormal([2, 5, 6], 0, 1, 'float32', 9);
    const ids = tf.tensor2d([[2, 7, 9, 3, 0], [2, 3, 0, 0, 0]], [2, 5], 'int32');
    const pooled = pool.apply([states, ids]) as tf.Tensor;
    expect(pooled.shape).toEqual([2, 6]);
    const weights = await pool.attentionWeights(states, ids).array();
    expect(weights[0]![4]).toBe(0);
    expect(weights[1]!.slice(2)).toEqual([0, 0, 0]);
    expect(weights[1]![0]! + weights[1]![1]!).toBeCloseTo(1, 6);
    const stateValues = (await states.array()) as number[][][];
    await expectClose(pooled, stateValues.flatMap((row, b) => row[0]!.map((_, axis) => row.reduce((sum, state, t) => sum + weights[b]![t]! * state[axis]!, 0))), { atol: 1e-5 }); // Σ_t α_t h_t
    expect(() => pool.attentionWeights(states, tf.zeros([2, 4], 'int32'))).toThrow(/states \[2,5,6\] and ids \[2,4\]/);
    expectConfigRoundTrip(pool);
    await expectNoLeaks(() => tf.tidy(() => pool.apply([states, ids]) as tf.Tensor), 'AttentionPooling');
    tf.dispose([states, ids, pooled]);
    pool.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain matMul/softmax covered on cpu and wasm' } });
