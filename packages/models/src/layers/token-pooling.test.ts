import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { TokenPooling } from './token-pooling';

await describeBackends(TEST_BACKENDS, () => {
  it('pools the first token (cls) or the mean over tokens (mean)', async () => {
    const x = tf.tensor3d([[[1, 2], [3, 4], [5, 9]], [[0, 0], [1, 1], [2, -4]]]);
    const cls = new TokenPooling({ mode: 'cls' });
    const mean = new TokenPooling({ mode: 'mean' });
    await expectClose(cls.apply(x) as tf.Tensor, [1, 2, 0, 0], { atol: 0 });
    await expectClose(mean.apply(x) as tf.Tensor, [3, 5, 1, -1], { atol: 1e-6 });
    expect(expectConfigRoundTrip(mean).mode).toBe('mean');
    await expectNoLeaks(() => tf.tidy(() => cls.apply(x) as tf.Tensor), 'TokenPooling');
    expect(() => new TokenPooling({ mode: 'max' as 'cls' })).toThrow(/mode must be 'cls' or 'mean'; got "max"/);
    x.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain slice/mean covered on cpu and wasm' } });
