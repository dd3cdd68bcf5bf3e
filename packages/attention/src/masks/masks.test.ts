import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { causalMask } from './causal-mask';
import { combineMasks } from './combine-masks';
import { fromTorchAttnMask } from './from-torch-attn-mask';
import { fromTorchKeyPaddingMask } from './from-torch-key-padding-mask';
import { paddingMask } from './padding-mask';
import { windowMask } from './window-mask';

async function asNumbers(mask: tf.Tensor): Promise<number[]> {
  const values = Array.from(await mask.data(), Number);
  mask.dispose();
  return values;
}

await describeBackends(TEST_BACKENDS, () => {
  it('paddingMask marks keys j < length as visible, from lengths or from a 0/1 attention mask', async () => {
    const fromLengths = paddingMask([2, 4, 0], 4);
    expect(fromLengths.shape).toEqual([3, 1, 4]);
    expect(fromLengths.dtype).toBe('bool');
    expect(await asNumbers(fromLengths)).toEqual([1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(paddingMask([1, 3]).shape).toEqual([2, 1, 3]);
    const lengths = tf.tensor1d([1, 2], 'int32');
    expect(await asNumbers(paddingMask(lengths, 3))).toEqual([1, 0, 0, 1, 1, 0]);
    const huggingFace = tf.tensor2d([[1, 1, 0], [1, 0, 0]], undefined, 'int32');
    expect(await asNumbers(paddingMask(huggingFace))).toEqual([1, 1, 0, 1, 0, 0]);
    tf.dispose([lengths, huggingFace]);
  });

  it('windowMask is |i - j| <= radius', async () => {
    const values = await asNumbers(windowMask(4, 5, 1));
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) expect(values[i * 5 + j]).toBe(Math.abs(i - j) <= 1 ? 1 : 0);
  });

  it('combineMasks is a logical AND that lines rank-3 masks up with the batch axis', async () => {
    const causal = causalMask(3);
    const padding = paddingMask([2, 3]);
    const combined = combineMasks(causal, undefined, padding)!;
    expect(combined.shape).toEqual([2, 3, 3]);
    const values = await asNumbers(combined);
    const lengths = [2, 3];
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(values[(b * 3 + i) * 3 + j]).toBe(j <= i && j < lengths[b]! ? 1 : 0);
    const perHead = tf.ones([2, 2, 3, 3], 'bool');
    const rank4 = combineMasks(padding, perHead)!;
    expect(rank4.shape).toEqual([2, 2, 3, 3]);
    expect((await asNumbers(rank4)).slice(0, 3)).toEqual([1, 1, 0]);
    expect(combineMasks()).toBeUndefined();
    const wrongSize = tf.ones([4, 4], 'bool');
    expect(() => combineMasks(causal, wrongSize)).toThrow(/masks of shapes \[3,3\] and \[4,4\] do not broadcast/);
    tf.dispose([causal, padding, perHead, wrongSize]);
  });

  it('converts PyTorch masks (True = blocked, or additive 0/-inf) to heed polarity', async () => {
    const keyPadding = tf.tensor2d([[false, false, true]], undefined, 'bool');
    expect(await asNumbers(fromTorchKeyPaddingMask(keyPadding))).toEqual([1, 1, 0]);
    const additive = tf.tensor2d([[0, -Infinity, 0]]);
    expect(await asNumbers(fromTorchKeyPaddingMask(additive))).toEqual([1, 0, 1]);
    // torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1) is PyTorch's causal attn_mask.
    const torchCausal = tf.tensor2d([[false, true, true], [false, false, true], [false, false, false]], undefined, 'bool');
    expect(await asNumbers(fromTorchAttnMask(torchCausal))).toEqual(await asNumbers(causalMask(3)));
    const torchPerHead = tf.zeros([4, 2, 3], 'bool');
    const perHead = fromTorchAttnMask(torchPerHead, { numHeads: 2 });
    expect(perHead.shape).toEqual([2, 2, 2, 3]);
    const oddBatch = tf.zeros([3, 2, 2], 'bool');
    expect(() => fromTorchAttnMask(oddBatch, { numHeads: 2 })).toThrow(/numHeads dividing 3/);
    tf.dispose([keyPadding, additive, torchCausal, torchPerHead, perHead, oddBatch]);
  });

  it('leaks nothing', async () => {
    const causal = causalMask(2);
    const padding = paddingMask([1, 2]);
    await expectNoLeaks(() => [paddingMask([1, 2]), windowMask(3, 3, 1), combineMasks(causal, padding)!]);
    tf.dispose([causal, padding]);
  });
});

it('rejects bad arguments by name', () => {
  expect(() => paddingMask([1, -1])).toThrow(/every length must be a non-negative integer; got -1/);
  expect(() => windowMask(2, 2, -1)).toThrow(/radius must be a non-negative integer; got -1/);
  const float = tf.ones([2, 2]);
  expect(() => combineMasks(float)).toThrow(/masks\[0\] must have dtype bool or int32 .* got float32 with shape \[2,2\]/);
  const rank1 = tf.ones([2], 'bool');
  expect(() => combineMasks(rank1)).toThrow(/must have rank 2, 3 or 4; got rank 1 with shape \[2\]/);
  expect(() => fromTorchKeyPaddingMask(rank1)).toThrow(/keyPaddingMask must have shape \(batch, keyLength\); got shape \[2\]/);
  tf.dispose([float, rank1]);
});
