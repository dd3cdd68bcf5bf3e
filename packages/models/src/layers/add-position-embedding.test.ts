import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { AddPositionEmbedding } from './add-position-embedding';

await describeBackends(TEST_BACKENDS, () => {
  it('adds the first `time` rows of its table for any length up to sequenceLength, and rows positionIds when given', async () => {
    const positions = new AddPositionEmbedding({ sequenceLength: 6 });
    const full = tf.randomNormal([2, 6, 3], 0, 1, 'float32', 1);
    (positions.apply(full) as tf.Tensor).dispose();
    const table = await positions.getWeights()[0]!.array() as number[][];
    for (const time of [6, 4, 1]) {
      const x = full.slice([0, 0, 0], [2, time, 3]);
      const values = await x.array() as number[][][];
      const expected = values.map((row) => row.map((token, position) => token.map((value, axis) => value + table[position]![axis]!)));
      const output = positions.apply(x) as tf.Tensor;
      expect(output.shape).toEqual([2, time, 3]);
      await expectClose(output, expected.flat(2), { atol: 1e-6 });
      tf.dispose([x, output]);
    }
    const ids = [[5, 0, 2], [1, 1, 4]];
    const positionIds = tf.tensor2d(ids, [2, 3], 'int32');
    const x = full.slice([0, 0, 0], [2, 3, 3]);
    const values = await x.array() as number[][][];
    const gathered = positions.apply(x, { positionIds }) as tf.Tensor;
    await expectClose(gathered, values.flatMap((row, b) => row.flatMap((token, t) => token.map((value, axis) => value + table[ids[b]![t]!]![axis]!))), { atol: 1e-6 });
    await expectNoLeaks(() => tf.tidy(() => positions.apply(x, { positionIds }) as tf.Tensor), 'AddPositionEmbedding');
    expectConfigRoundTrip(positions);
    tf.dispose([full, positionIds, x, gathered]);
    positions.dispose();
  });

  it('the gradient of gathered positions sums repeated ids into the table', async () => {
    const positions = new AddPositionEmbedding({ sequenceLength: 4 });
    const x = tf.zeros([1, 3, 2]);
    (positions.apply(x) as tf.Tensor).dispose();
    const table = positions.trainableWeights[0]!.read() as tf.Variable;
    const positionIds = tf.tensor2d([[2, 2, 0]], [1, 3], 'int32');
    const upstream = tf.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(positions.apply(x, { positionIds }) as tf.Tensor, upstream)) as tf.Scalar, [table]);
    await expectClose(grads[table.name]!, [5, 6, 0, 0, 4, 6, 0, 0], { atol: 0 }); // rows 0, 1, 2, 3
    tf.dispose([x, positionIds, upstream, value, ...Object.values(grads)]);
    positions.dispose();
  });

  it('names the shapes when there are more tokens than positions', () => {
    const positions = new AddPositionEmbedding({ sequenceLength: 4 });
    expect(() => positions.apply(tf.input({ shape: [5, 8] }))).toThrow(/inputs have 5 tokens \(shape \[,5,8\]\) but the table holds sequenceLength 4/);
    (positions.apply(tf.zeros([1, 4, 8])) as tf.Tensor).dispose();
    expect(() => positions.apply(tf.zeros([1, 5, 8]))).toThrow(/inputs must have shape \(batch, time ≤ 4, 8\); got shape \[1,5,8\]/);
    expect(() => positions.apply(tf.zeros([1, 2, 8]), { positionIds: tf.zeros([1, 3], 'int32') })).toThrow(/positionIds must have shape \(batch, time\) = \(1, 2\); got shape \[1,3\]/);
    expect(() => new AddPositionEmbedding({ sequenceLength: 0 })).toThrow(/sequenceLength must be a positive integer; got 0/);
    positions.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain add/slice/gather covered on cpu and wasm' } });
