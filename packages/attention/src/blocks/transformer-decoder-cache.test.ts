import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { paddingMask } from '../masks/padding-mask';
import { TransformerDecoderBlock } from './transformer-decoder-block';
import type { AttentionCache } from './transformer-decoder-cache';

const TOLERANCE = { rtol: 1e-5, atol: 1e-5 };
const [batch, targetLength, sourceLength, width] = [2, 5, 4, 8];

/** Runs `block.callWithCache` over `x` in chunks of the given sizes; returns the outputs and weights concatenated over time. */
function incremental(block: TransformerDecoderBlock, x: tf.Tensor, chunks: number[], cross?: AttentionCache, encoderAttentionMask?: tf.Tensor) {
  let cache: AttentionCache | undefined;
  const outputs: tf.Tensor[] = [];
  const crossWeights: tf.Tensor[] = [];
  let lastSelfWeights: tf.Tensor | undefined;
  let start = 0;
  for (const size of chunks) {
    const chunk = x.slice([0, start, 0], [batch, size, width]); // (batch, size, width)
    const step = block.callWithCache(chunk, { selfAttentionCache: cache, crossAttentionCache: cross, encoderAttentionMask, returnAttentionWeights: true });
    chunk.dispose();
    if (cache) tf.dispose([cache.key, cache.value]);
    cache = step.selfAttentionCache;
    outputs.push(step.output);
    if (step.crossAttentionWeights) crossWeights.push(step.crossAttentionWeights);
    lastSelfWeights?.dispose();
    lastSelfWeights = step.selfAttentionWeights;
    start += size;
  }
  const result = { output: tf.concat(outputs, 1), crossWeights: crossWeights.length ? tf.concat(crossWeights, 2) : undefined, lastSelfWeights: lastSelfWeights!, cache: cache! };
  tf.dispose([...outputs, ...crossWeights]);
  return result;
}

await describeBackends(TEST_BACKENDS, () => {
  for (const normalizeFirst of [false, true]) {
    it(`${normalizeFirst ? 'pre' : 'post'}-norm: cached steps (one token, and chunks) equal the full causal call over the prefix, weights included`, async () => {
      const block = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 12, normalizeFirst, activation: 'gelu_new' });
      const x = tf.randomNormal([batch, targetLength, width], 0, 1, 'float32', 31);
      const memory = tf.randomNormal([batch, sourceLength, width], 0, 1, 'float32', 32);
      const mask = paddingMask([4, 2], sourceLength); // (batch, 1, S)
      const [full, fullSelf, fullCross] = block.apply([x, memory], { encoderAttentionMask: mask, returnAttentionWeights: true }) as tf.Tensor[]; // the reference
      const cross = block.computeCrossAttentionCache(memory);
      expect(cross.key.shape).toEqual([batch, 2, sourceLength, 4]);
      for (const chunks of [[1, 1, 1, 1, 1], [3, 2]]) {
        const run = incremental(block, x, chunks, cross, mask);
        await expectClose(run.output, full!, { ...TOLERANCE, label: `output, chunks ${chunks}` });
        await expectClose(run.crossWeights!, fullCross!, { ...TOLERANCE, label: `cross-attention weights, chunks ${chunks}` });
        const lastRows = fullSelf!.slice([0, 0, targetLength - chunks.at(-1)!, 0], [batch, 2, chunks.at(-1)!, targetLength]);
        await expectClose(run.lastSelfWeights, lastRows, { ...TOLERANCE, label: `self-attention weights of the last chunk, chunks ${chunks}` });
        expect(run.cache.key.shape).toEqual([batch, 2, targetLength, 4]);
        tf.dispose([run.output, run.crossWeights!, run.lastSelfWeights, run.cache.key, run.cache.value, lastRows]);
      }
      const firstToken = x.slice([0, 0, 0], [batch, 1, width]);
      const first = block.callWithCache(firstToken, { crossAttentionCache: cross, encoderAttentionMask: mask });
      firstToken.dispose();
      const second = x.slice([0, 1, 0], [batch, 1, width]);
      await expectNoLeaks(
        () => {
          const step = block.callWithCache(second, { selfAttentionCache: first.selfAttentionCache, crossAttentionCache: cross, encoderAttentionMask: mask });
          return [step.output, step.selfAttentionCache.key, step.selfAttentionCache.value];
        },
        'a cached step',
      );
      tf.dispose([second, x, memory, mask, full!, fullSelf!, fullCross!, cross.key, cross.value, first.output, first.selfAttentionCache.key, first.selfAttentionCache.value]);
      block.dispose();
    });
  }

  it('a left-padded prompt: the decoderAttentionMask over the positions so far is ANDed with the causal mask, as in the full call', async () => {
    const block = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 6 });
    const x = tf.randomNormal([batch, targetLength, width], 0, 1, 'float32', 34);
    const keep = tf.tensor3d([[[true, true, true, true, true]], [[false, false, true, true, true]]], [batch, 1, targetLength], 'bool'); // (batch, 1, T): row 1 has two pads first
    const full = block.apply(x, { decoderAttentionMask: keep }) as tf.Tensor;
    const unmasked = block.apply(x) as tf.Tensor;
    for (const chunks of [[1, 1, 1, 1, 1], [3, 2]]) {
      let cache: AttentionCache | undefined;
      const outputs: tf.Tensor[] = [];
      let start = 0;
      for (const size of chunks) {
        const [chunk, mask] = [x.slice([0, start, 0], [batch, size, width]), keep.slice([0, 0, 0], [batch, 1, start + size])];
        const step = block.callWithCache(chunk, { selfAttentionCache: cache, decoderAttentionMask: mask });
        if (cache) tf.dispose([cache.key, cache.value]);
        tf.dispose([chunk, mask]);
        cache = step.selfAttentionCache;
        outputs.push(step.output);
        start += size;
      }
      const output = tf.concat(outputs, 1);
      await expectClose(output, full, { ...TOLERANCE, label: `masked output, chunks ${chunks}` });
      tf.dispose([output, ...outputs, cache!.key, cache!.value]);
    }
    expect((await tf.max(tf.abs(tf.sub(full, unmasked))).data())[0], 'the mask changes the padded row').toBeGreaterThan(1e-3);
    tf.dispose([x, keep, full, unmasked]);
    block.dispose();
  });

  it('decoder-only (no cross-attention): cached steps equal the full causal call', async () => {
    const block = new TransformerDecoderBlock({ numHeads: 4, intermediateDim: 6, normalizeFirst: true });
    const x = tf.randomNormal([batch, targetLength, width], 0, 1, 'float32', 33);
    const full = block.apply(x) as tf.Tensor;
    const run = incremental(block, x, [2, 1, 2]);
    await expectClose(run.output, full, { ...TOLERANCE, label: 'decoder-only output' });
    tf.dispose([x, full, run.output, run.lastSelfWeights, run.cache.key, run.cache.value]);
    block.dispose();
  });
});

it('names a missing or misshapen cache', () => {
  const block = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 4 });
  const [x, memory] = [tf.zeros([1, 1, 4]), tf.zeros([1, 3, 4])];
  expect(() => block.callWithCache(x)).toThrow('TransformerDecoderBlock: call the block once (or load it) before callWithCache');
  tf.dispose(block.apply([x, memory]) as tf.Tensor);
  expect(() => block.callWithCache(x)).toThrow('TransformerDecoderBlock: built with cross-attention, so callWithCache needs crossAttentionCache (from computeCrossAttentionCache)');
  const cross = block.computeCrossAttentionCache(memory);
  const wrong = { key: tf.zeros([1, 3, 1, 2]) as tf.Tensor4D, value: tf.zeros([1, 3, 1, 2]) as tf.Tensor4D };
  expect(() => block.callWithCache(x, { crossAttentionCache: cross, selfAttentionCache: wrong })).toThrow(
    'TransformerDecoderBlock: selfAttentionCache.key must have shape (batch 1, heads 2, time, headDim 2); got [1,3,1,2]',
  );
  expect(() => block.callWithCache(tf.zeros([1, 1, 5]), { crossAttentionCache: cross })).toThrow('TransformerDecoderBlock: decoderSequence must have shape (batch, n, 4); got shape [1,1,5]');
  expect(() => block.computeCrossAttentionCache(tf.zeros([3, 4]))).toThrow('TransformerDecoderBlock: encoderSequence must have shape (batch, time, 4); got shape [3,4]');
  tf.dispose([x, memory, cross.key, cross.value, wrong.key, wrong.value]);
});
