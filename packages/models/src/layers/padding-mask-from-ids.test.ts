import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { PaddingMaskFromIds } from './padding-mask-from-ids';

await describeBackends(TEST_BACKENDS, () => {
  it('marks real tokens 1 and padding 0 as a (batch, 1, time) int32 key mask', async () => {
    const ids = tf.tensor2d([[5, 7, 0], [1, 1, 1]], [2, 3], 'int32');
    const mask = new PaddingMaskFromIds().apply(ids) as tf.Tensor;
    expect(mask.dtype).toBe('int32');
    expect(await mask.array()).toEqual([[[1, 1, 0]], [[1, 1, 1]]]);
    const withPad1 = new PaddingMaskFromIds({ padId: 1 });
    expect(await (withPad1.apply(ids) as tf.Tensor).array()).toEqual([[[1, 1, 1]], [[0, 0, 0]]]);
    expect(expectConfigRoundTrip(withPad1).padId).toBe(1);
    await expectNoLeaks(() => tf.tidy(() => withPad1.apply(ids) as tf.Tensor), 'PaddingMaskFromIds');
    expect(() => withPad1.apply(tf.zeros([3], 'int32'))).toThrow(/ids must have shape \(batch, time\); got shape \[3\]/);
    tf.dispose([ids, mask]);
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain notEqual covered on cpu and wasm' } });
