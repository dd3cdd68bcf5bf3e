import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { gatherRows } from './gather-rows';
import { TokenEmbedding } from './token-embedding';

await describeBackends(TEST_BACKENDS, () => {
  it('token embedding gradients equal the one-hot matMul gradients (repeated ids summed)', async () => {
    const embed = new TokenEmbedding({ vocabSize: 5, dim: 3 });
    const ids = tf.tensor2d([[1, 1, 4], [0, 1, 2]], [2, 3], 'int32');
    embed.apply(ids);
    const table = embed.trainableWeights[0]!.read() as tf.Variable;
    const upstream = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 11);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(embed.apply(ids) as tf.Tensor, upstream)) as tf.Scalar, [table]);
    const reference = tf.tidy(() => tf.matMul(tf.oneHot(ids.reshape([-1]) as tf.Tensor1D, 5), upstream.reshape([6, 3]), true, false)); // (5, 3)
    await expectClose(grads[table.name]!, reference, { atol: 1e-6 });
    expect(() => embed.apply(tf.zeros([1, 2]))).toThrow(/ids must be int32; got float32/);
    expectConfigRoundTrip(embed);
    await expectNoLeaks(() => tf.tidy(() => embed.apply(ids) as tf.Tensor), 'TokenEmbedding');
    tf.dispose([ids, upstream, reference, ...Object.values(grads)]);
    embed.dispose();
  });


  it('gatherRows looks rows up for ids of any shape and names bad input', async () => {
    const table = tf.tensor2d([[0, 1], [2, 3], [4, 5]]);
    const ids = tf.tensor3d([[[2], [0]], [[1], [1]]], [2, 2, 1], 'int32');
    const rows = gatherRows(table, ids);
    expect(rows.shape).toEqual([2, 2, 1, 2]);
    await expectClose(rows, [4, 5, 0, 1, 2, 3, 2, 3], { atol: 0 });
    expect(() => gatherRows(table, tf.zeros([2], 'float32'))).toThrow(/gatherRows: ids must be int32; got float32 with shape \[2\]/);
    expect(() => gatherRows(tf.zeros([3]), ids, 'Where')).toThrow(/Where: the table must have shape \(rows, dim\); got shape \[3\]/);
    tf.dispose([table, ids, rows]);
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain gather/scatterND covered on cpu and wasm' } });
