import * as tf from '@tensorflow/tfjs';
import { layerNormalization, MultiHeadAttention, paddingMask, TransformerEncoderBlock } from '@heed/attention';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { encoderAttentionWeights } from './encoder-attention-weights';

/** A MultiHeadAttention holding the block's self-attention weights (same Keras names and shapes). */
function mhaFrom(block: TransformerEncoderBlock, heads: number, keyDim: number, x: tf.Tensor): MultiHeadAttention {
  const mha = new MultiHeadAttention({ numHeads: heads, keyDim });
  mha.apply([x, x]);
  const byName = new Map(block.weights.map((weight) => [weight.originalName.replace(/^.*?self_attention\//, ''), weight.read()]));
  mha.setWeights(mha.weights.map((weight) => byName.get(weight.originalName.replace(/^.*?\//, '').replace(/^(query|key|value|attention_output)/, '$1'))!));
  return mha;
}

await describeBackends(TEST_BACKENDS, () => {
  for (const normalizeFirst of [true, false]) {
    it(`equals MultiHeadAttention's own scores on the block's weights (${normalizeFirst ? 'pre' : 'post'}-norm)`, async () => {
      const block = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 16, normalizeFirst, kernelInitializer: 'glorotNormal', biasInitializer: 'randomNormal' });
      const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 3);
      block.apply(x);
      const weights = encoderAttentionWeights(block, x);
      expect(weights.shape).toEqual([2, 2, 5, 5]);
      const gamma = block.weights.find((weight) => weight.originalName.endsWith('self_attention_layer_norm/gamma'))!.read();
      const beta = block.weights.find((weight) => weight.originalName.endsWith('self_attention_layer_norm/beta'))!.read();
      const input = normalizeFirst ? layerNormalization(x, gamma, beta, 1e-5) : x;
      const mha = mhaFrom(block, 2, 4, input);
      const [, scores] = mha.apply([input, input], { returnAttentionScores: true }) as tf.Tensor[];
      await expectClose(weights, scores!, { atol: 1e-5 });
      await expectNoLeaks(() => encoderAttentionWeights(block, x), 'encoderAttentionWeights');
      tf.dispose([x, weights, scores!, input]);
      block.dispose();
      mha.dispose();
    });
  }

  it('gives padding tokens exactly zero attention', async () => {
    const block = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, normalizeFirst: true });
    const x = tf.randomNormal([2, 4, 4], 0, 1, 'float32', 4);
    block.apply(x);
    const mask = paddingMask([4, 2]);
    const weights = await encoderAttentionWeights(block, x, mask).array();
    for (const head of weights[1]!) for (const row of head) expect([row[2], row[3]]).toEqual([0, 0]);
    for (const head of weights[0]!) for (const row of head) expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    tf.dispose([x, mask]);
    block.dispose();
  });

  it('names the shape of bad input', () => {
    const block = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8 });
    const x = tf.zeros([1, 3, 4]);
    block.apply(x);
    expect(() => encoderAttentionWeights(block, tf.zeros([3, 4]))).toThrow(/x must have shape \(batch, time, width\); got shape \[3,4\]/);
    expect(() => encoderAttentionWeights(block, tf.zeros([1, 3, 6]))).toThrow(/x \[1,3,6\] does not match the block's width 4/);
    x.dispose();
    block.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; plain matMul/softmax covered on cpu and wasm' } });
