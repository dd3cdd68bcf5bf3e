import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { ClassToken } from './class-token';

await describeBackends(TEST_BACKENDS, () => {
  it('prepends its token to every example: (batch, time, dim) → (batch, 1 + time, dim)', async () => {
    const classToken = new ClassToken();
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    (classToken.apply(x) as tf.Tensor).dispose();
    classToken.setWeights([tf.tensor3d([[[9, -9]]])]);
    const output = classToken.apply(x) as tf.Tensor;
    expect(output.shape).toEqual([2, 3, 2]);
    await expectClose(output, [9, -9, 1, 2, 3, 4, 9, -9, 5, 6, 7, 8], { atol: 0 });
    expect(classToken.computeOutputShape([null, 16, 2])).toEqual([null, 17, 2]);
    expectConfigRoundTrip(classToken);
    await expectNoLeaks(() => tf.tidy(() => classToken.apply(x) as tf.Tensor), 'ClassToken');
    tf.dispose([x, output]);
    classToken.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain broadcastTo/concat covered on cpu and wasm' } });
