import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { afterEach, expect, it } from 'vitest';
import { paddingMask } from '../masks/padding-mask';
import { setAttentionFastPath } from '../ops/attention-fast-path';
import { fusedAttentionFastPath } from '../ops/fused-fast-path';
import { expectConfigRoundTrip, saveAndLoad } from '../testing/expect-config-round-trip';
import { TransformerDecoderBlock } from './transformer-decoder-block';
import { TransformerEncoderBlock } from './transformer-encoder-block';

// PyTorch parity of both blocks (outputs, gradients, attention weights, every activation, both
// norm placements, LayerNorm epsilon): src/interop/from-torch-transformer-layer.test.ts.

afterEach(() => setAttentionFastPath(fusedAttentionFastPath));

/** Plugs in the default fused path, counting the calls it ran (did not decline). */
function countFusedCalls(): { count: number } {
  const counter = { count: 0 };
  setAttentionFastPath((...args) => {
    const result = fusedAttentionFastPath(...args);
    if (result) counter.count++;
    return result;
  });
  return counter;
}

await describeBackends(TEST_BACKENDS, () => {
  it('encoder and decoder blocks run in a tf.model graph and equal the eager block after save/load', async () => {
    const source = tf.input({ shape: [4, 8] });
    const target = tf.input({ shape: [3, 8] });
    const sourceMask = tf.input({ shape: [1, 4], dtype: 'int32' });
    const encoder = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 6, normalizeFirst: true, activation: 'gelu' });
    const decoder = new TransformerDecoderBlock({ numHeads: 4, intermediateDim: 5 });
    const encoded = encoder.apply([source, sourceMask]) as tf.SymbolicTensor;
    const decoded = decoder.apply([target, encoded]) as tf.SymbolicTensor;
    expect(decoded.shape).toEqual([null, 3, 8]);
    const model = tf.model({ inputs: [source, target, sourceMask], outputs: decoded });
    const loaded = await saveAndLoad(model);
    const feeds = [tf.randomNormal([2, 4, 8], 0, 1, 'float32', 1), tf.randomNormal([2, 3, 8], 0, 1, 'float32', 2), paddingMask([4, 2]).toInt()];
    const eager = tf.tidy(() => decoder.apply([feeds[1]!, encoder.apply(feeds[0]!, { attentionMask: feeds[2] }) as tf.Tensor]) as tf.Tensor);
    const [graph, reloaded] = [model.predict(feeds) as tf.Tensor, loaded.predict(feeds) as tf.Tensor];
    await expectClose(graph, eager, { rtol: 1e-5, atol: 1e-5, label: 'graph' });
    await expectClose(reloaded, eager, { rtol: 1e-5, atol: 1e-5, label: 'saved and loaded' });
    await expectNoLeaks(() => tf.tidy(() => decoder.apply([feeds[1]!, feeds[0]!]) as tf.Tensor), 'decoder call');
    tf.dispose([...feeds, eager, graph, reloaded]);
  });

  it('take masks as graph inputs, float32 as tfjs carries them (an input, and one computed in the graph): predict and save/load equal eager', async () => {
    const [sourceLength, targetLength, width] = [5, 4, 8];
    const source = tf.input({ shape: [sourceLength, width] });
    const target = tf.input({ shape: [targetLength, width] });
    const sourceMask = tf.input({ shape: [1, sourceLength] }); // float32 0/1
    const targetKeep = tf.input({ shape: [targetLength] }); // float32 0/1, reshaped in the graph
    const targetMask = tf.layers.reshape({ targetShape: [1, targetLength] }).apply(targetKeep) as tf.SymbolicTensor; // a layer output: float32
    const encoder = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 6 });
    const decoder = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 5, normalizeFirst: true });
    const positionalDecoder = new TransformerDecoderBlock({ numHeads: 4, intermediateDim: 3 });
    const decoderOnly = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 4 });
    const encoded = encoder.apply(source, { attentionMask: sourceMask }) as tf.SymbolicTensor;
    let decoded = decoder.apply([target, encoded], { decoderAttentionMask: targetMask, encoderAttentionMask: sourceMask }) as tf.SymbolicTensor;
    decoded = positionalDecoder.apply([decoded, encoded, targetMask, sourceMask]) as tf.SymbolicTensor;
    decoded = decoderOnly.apply(decoded, { decoderAttentionMask: targetMask }) as tf.SymbolicTensor;
    expect(decoded.shape).toEqual([null, targetLength, width]);
    const model = tf.model({ inputs: [source, target, sourceMask, targetKeep], outputs: decoded });
    const loaded = await saveAndLoad(model);

    const [sourceLengths, targetLengths] = [[5, 3], [4, 2]];
    const x = tf.randomNormal([2, sourceLength, width], 0, 1, 'float32', 11);
    const y = tf.randomNormal([2, targetLength, width], 0, 1, 'float32', 12);
    const [sourcePadding, targetPadding] = [paddingMask(sourceLengths, sourceLength), paddingMask(targetLengths, targetLength)]; // bool (batch, 1, ·)
    const feeds = [x, y, tf.cast(sourcePadding, 'float32'), tf.cast(targetPadding, 'float32').reshape([2, targetLength])];
    const eagerWith = (masked: boolean) =>
      tf.tidy(() => {
        const [sourceM, targetM] = masked ? [sourcePadding, targetPadding] : [undefined, undefined];
        const memory = encoder.apply(x, { attentionMask: sourceM }) as tf.Tensor;
        let out = decoder.apply([y, memory], { decoderAttentionMask: targetM, encoderAttentionMask: sourceM }) as tf.Tensor;
        out = positionalDecoder.apply([out, memory], { decoderAttentionMask: targetM, encoderAttentionMask: sourceM }) as tf.Tensor;
        return decoderOnly.apply(out, { decoderAttentionMask: targetM }) as tf.Tensor;
      });
    const [eager, unmasked] = [eagerWith(true), eagerWith(false)];
    const [graph, reloaded] = [model.predict(feeds) as tf.Tensor, loaded.predict(feeds) as tf.Tensor];
    await expectClose(graph, eager, { rtol: 1e-5, atol: 1e-5, label: 'graph' });
    await expectClose(reloaded, eager, { rtol: 1e-5, atol: 1e-5, label: 'saved and loaded' });
    expect((await tf.max(tf.abs(tf.sub(eager, unmasked))).data())[0], 'the masks change the padded sequence').toBeGreaterThan(1e-3);
    await expectNoLeaks(() => tf.tidy(() => model.predict(feeds) as tf.Tensor), 'predict with graph masks');
    tf.dispose([x, y, sourcePadding, targetPadding, ...feeds.slice(2), eager, unmasked, graph, reloaded]);
  });

  it('return their attention weights when asked (the reference path), and run the fused kernel when nobody asks', async () => {
    const encoder = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, normalizeFirst: true, activation: 'gelu_new' });
    const decoder = new TransformerDecoderBlock({ numHeads: 4, intermediateDim: 6 });
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 21);
    const target = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 22);
    const mask = paddingMask([5, 3], 5); // (batch, 1, S)
    const fused = countFusedCalls();
    const encoded = encoder.apply(x, { attentionMask: mask }) as tf.Tensor;
    const decoded = decoder.apply([target, encoded], { encoderAttentionMask: mask }) as tf.Tensor;
    expect(fused.count, 'fused attention ran for the encoder and both decoder attentions').toBe(3);
    const [encodedAgain, encoderWeights] = encoder.apply(x, { attentionMask: mask, returnAttentionWeights: true }) as tf.Tensor[];
    const [decodedAgain, selfWeights, crossWeights] = decoder.apply([target, encoded], { encoderAttentionMask: mask, returnAttentionWeights: true }) as tf.Tensor[];
    expect(fused.count, 'asking for weights takes the reference path').toBe(3);
    await expectClose(encodedAgain!, encoded, { rtol: 1e-5, atol: 1e-5, label: 'encoder output, fused vs reference' });
    await expectClose(decodedAgain!, decoded, { rtol: 1e-5, atol: 1e-5, label: 'decoder output, fused vs reference' });
    expect([encoderWeights!.shape, selfWeights!.shape, crossWeights!.shape]).toEqual([[2, 2, 5, 5], [2, 4, 3, 3], [2, 4, 3, 5]]);
    const encoderRows = await encoderWeights!.sum(-1).data();
    expect(Math.max(...encoderRows.map((total) => Math.abs(total - 1))), 'each query row is a distribution').toBeLessThan(1e-5);
    const padded = await crossWeights!.slice([1, 0, 0, 3], [1, 4, 3, 2]).abs().max().data();
    expect(padded[0], 'padded source positions get no cross-attention').toBe(0);
    const future = await selfWeights!.slice([0, 0, 0, 1], [2, 4, 1, 2]).abs().max().data();
    expect(future[0], 'the first target token sees no later one (causal)').toBe(0);
    setAttentionFastPath(undefined); // the weights equal the composite reference, whichever path computed the output
    await expectClose(decoder.apply([target, encoded], { encoderAttentionMask: mask }) as tf.Tensor, decodedAgain!, { rtol: 1e-6, atol: 1e-6, label: 'reference output' });
    await expectNoLeaks(() => tf.tidy(() => decoder.apply([target, encoded], { encoderAttentionMask: mask, returnAttentionWeights: true }) as tf.Tensor[]), 'decoder call with weights');
    tf.dispose([x, target, mask, encoded, decoded, encodedAgain!, encoderWeights!, decodedAgain!, selfWeights!, crossWeights!]);
    encoder.dispose();
    decoder.dispose();
  });

  it('decoder-only (no encoder sequence) is causal by default: the first output ignores later tokens', async () => {
    const decoder = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 4 });
    const x = tf.randomNormal([1, 3, 4], 0, 1, 'float32', 3);
    const changedLater = tf.concat([x.slice([0, 0, 0], [1, 1, 4]), tf.randomNormal([1, 2, 4], 0, 1, 'float32', 4)], 1);
    const [a, b] = [decoder.apply(x) as tf.Tensor, decoder.apply(changedLater) as tf.Tensor];
    await expectClose(a.slice([0, 0, 0], [1, 1, 4]), b.slice([0, 0, 0], [1, 1, 4]), { rtol: 1e-6, atol: 1e-6 });
    expect(decoder.weights.some((w) => w.originalName.includes('cross_attention'))).toBe(false);
    tf.dispose([x, changedLater, a, b]);
  });

  it('drops out only while training', async () => {
    const encoder = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, dropout: 0.5 });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5);
    const [inference, again, training] = [encoder.apply(x), encoder.apply(x), encoder.apply(x, { training: true })] as tf.Tensor[];
    await expectClose(again!, inference!, { rtol: 0, atol: 0 });
    expect((await tf.max(tf.abs(tf.sub(training!, inference!))).data())[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, inference!, again!, training!]);
  });

  it('each dropout rate acts where it is named: attention weights, attention output, FFN hidden layer, FFN output', async () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 6);
    /** max |training − inference| of a fresh encoder with these rates, after `edit` sets some weights. */
    const change = async (rates: { dropout?: number; attentionDropout?: number; attentionOutputDropout?: number; intermediateDropout?: number }, edit: Record<string, 'zeros' | 'ones'> = {}) => {
      const encoder = new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, dropout: 0, attentionDropout: 0, attentionOutputDropout: 0, intermediateDropout: 0, ...rates });
      tf.dispose(encoder.apply(x) as tf.Tensor);
      for (const [name, value] of Object.entries(edit)) {
        const weight = encoder.weights.find((candidate) => candidate.originalName.endsWith(name))!;
        weight.write(value === 'zeros' ? tf.zeros(weight.shape as number[]) : tf.ones(weight.shape as number[]));
      }
      const [inference, training] = [encoder.apply(x), encoder.apply(x, { training: true })] as tf.Tensor[];
      const difference = (await tf.max(tf.abs(tf.sub(training!, inference!))).data())[0]!;
      tf.dispose([inference!, training!]);
      encoder.dispose();
      return difference;
    };
    // With zero values the attention output is its bias whatever the weights are: dropping weights changes nothing, dropping the output does.
    const constantAttention = { 'self_attention/value/kernel': 'zeros', 'self_attention/value/bias': 'zeros', 'self_attention/attention_output/bias': 'ones' } as const;
    expect(await change({ attentionDropout: 0.5 }, constantAttention)).toBe(0);
    expect(await change({ attentionOutputDropout: 0.5 }, constantAttention)).toBeGreaterThan(1e-3);
    expect(await change({ attentionDropout: 0.5 })).toBeGreaterThan(1e-3);
    // With a zero output kernel the FFN output is its bias whatever the hidden layer is.
    const constantFeedForward = { 'feedforward_output_dense/kernel': 'zeros', 'feedforward_output_dense/bias': 'ones' } as const;
    expect(await change({ intermediateDropout: 0.5 }, constantFeedForward)).toBe(0);
    expect(await change({ dropout: 0.5, attentionDropout: 0, attentionOutputDropout: 0, intermediateDropout: 0 }, constantFeedForward)).toBeGreaterThan(1e-3);
    expect(await change({ intermediateDropout: 0.5 })).toBeGreaterThan(1e-3);
    expect(await change({})).toBe(0);
    // The three default to dropout, and round-trip as resolved rates.
    expect(new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, dropout: 0.3, intermediateDropout: 0 }).config).toMatchObject({ dropout: 0.3, attentionDropout: 0.3, attentionOutputDropout: 0.3, intermediateDropout: 0 });
    expect(() => new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 8, attentionDropout: 1 })).toThrow(/attentionDropout/);
    x.dispose();
  });

  it('the decoder block takes the same rates: attention weights of self- and cross-attention, attention outputs', async () => {
    const [x, memory] = [tf.randomNormal([2, 3, 4], 0, 1, 'float32', 7), tf.randomNormal([2, 5, 4], 0, 1, 'float32', 8)];
    const change = async (rates: { attentionDropout?: number; attentionOutputDropout?: number }, constant: boolean) => {
      const decoder = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 8, dropout: 0, attentionDropout: 0, attentionOutputDropout: 0, intermediateDropout: 0, ...rates });
      tf.dispose(decoder.apply([x, memory]) as tf.Tensor);
      if (constant) {
        for (const weight of decoder.weights.filter((candidate) => /attention\/value\//.test(candidate.originalName))) weight.write(tf.zeros(weight.shape as number[]));
        for (const weight of decoder.weights.filter((candidate) => /attention\/attention_output\/bias/.test(candidate.originalName))) weight.write(tf.ones(weight.shape as number[]));
      }
      const [inference, training] = [decoder.apply([x, memory]), decoder.apply([x, memory], { training: true })] as tf.Tensor[];
      const difference = (await tf.max(tf.abs(tf.sub(training!, inference!))).data())[0]!;
      tf.dispose([inference!, training!]);
      decoder.dispose();
      return difference;
    };
    expect(await change({ attentionDropout: 0.5 }, true)).toBe(0);
    expect(await change({ attentionDropout: 0.5 }, false)).toBeGreaterThan(1e-3);
    expect(await change({ attentionOutputDropout: 0.5 }, true)).toBeGreaterThan(1e-3);
    tf.dispose([x, memory]);
  });
});

it('round-trips configs through JSON', () => {
  const args = { numHeads: 4, intermediateDim: 32, dropout: 0.1, activation: 'gelu' as const, normalizeFirst: true, layerNormEpsilon: 1e-6 };
  expect(expectConfigRoundTrip(new TransformerEncoderBlock(args)).getConfig()).toMatchObject(args);
  expect(expectConfigRoundTrip(new TransformerDecoderBlock({ numHeads: 1, intermediateDim: 2 })).getConfig()).toMatchObject({ normalizeFirst: false, activation: 'relu' });
});

it('rejects heads not dividing the width and bad inputs, naming the argument and shapes', () => {
  const x = tf.zeros([2, 3, 6]);
  expect(() => new TransformerEncoderBlock({ numHeads: 4, intermediateDim: 8 }).apply(x)).toThrow('TransformerEncoderBlock: numHeads 4 must divide the model width; got inputs of shape [2,3,6] (width 6)');
  expect(() => new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8, activation: 'swish' as never })).toThrow('TransformerEncoderBlock: activation must be one of relu, gelu, gelu_new; got swish');
  const symbolic = tf.input({ shape: [3, 6] });
  expect(() => new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 8 }).apply(symbolic, { returnAttentionWeights: true })).toThrow(
    'TransformerEncoderBlock: returnAttentionWeights is for eager calls; got SymbolicTensor inputs (call the block on tensors to read its attention)',
  );
  const decoder = new TransformerDecoderBlock({ numHeads: 2, intermediateDim: 4 });
  const memory = tf.zeros([2, 5, 4]);
  tf.dispose(decoder.apply([x, memory]) as tf.Tensor);
  const wrongMemory = tf.zeros([2, 5, 3]);
  expect(() => decoder.apply([x, wrongMemory])).toThrow('TransformerDecoderBlock: encoderSequence [2,5,3] must be (2, time, 4) for decoderSequence [2,3,6]');
  expect(() => decoder.apply(x)).toThrow(/built with cross-attention, so it needs \[decoderSequence, encoderSequence\]/);
  const floatMask = tf.ones([3, 3]);
  expect(() => decoder.apply([x, memory], { decoderAttentionMask: floatMask })).toThrow(/decoderAttentionMask must have dtype bool or int32 .* got float32 with shape \[3,3\]/);
  const sourceMask = tf.ones([2, 1, 4], 'bool');
  const before = tf.memory().numTensors;
  expect(() => decoder.apply([x, memory], { encoderAttentionMask: sourceMask })).toThrow(
    'TransformerDecoderBlock: encoderAttentionMask with shape [2,1,4] does not broadcast to the attention scores (batch, heads, queryLength, keyLength) = [2,2,3,5]: its keyLength axis is 4, expected 5 or 1',
  );
  expect(tf.memory().numTensors, 'no kernel ran before the error').toBe(before);
  tf.dispose([x, memory, wrongMemory, floatMask, sourceMask]);
});
