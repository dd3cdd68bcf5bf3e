import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, seededValues, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { combineMasks } from '../masks/combine-masks';
import { hybridMask } from '../masks/hybrid-mask';
import { paddingMask } from '../masks/padding-mask';
import { scaledDotProductAttention } from '../ops/scaled-dot-product-attention';
import { expectGradientsMatchFiniteDifferences } from '../testing/check-gradients';
import { expectConfigRoundTrip, saveAndLoad } from '../testing/expect-config-round-trip';
import { naiveAttention } from '../testing/naive-attention';
import { HybridAttention } from './hybrid-attention';
import { MultiHeadAttention } from './multi-head-attention';

const [batch, time, width] = [2, 7, 4];
const radius = 1;
const globalTokens = [0, 4];
const lengths = [7, 5];
/** The pattern as a predicate, written from the definition: band, global row, or global column. */
const hybridVisible = (t: number, s: number, globals = globalTokens, r = radius) => Math.abs(t - s) <= r || globals.includes(t) || globals.includes(s);

async function flat(tensor: tf.Tensor): Promise<number[]> {
  return Array.from(await tensor.data(), Number);
}

/** A HybridAttention and a MultiHeadAttention holding the same (seeded) weights. */
function twinLayers() {
  const args = { numHeads: 2, keyDim: 2, biasInitializer: 'glorotUniform' as const };
  const hybrid = new HybridAttention({ ...args, radius, globalTokens });
  const plain = new MultiHeadAttention(args);
  const x = tf.zeros([1, time, width]);
  tf.dispose([hybrid.apply(x) as tf.Tensor, plain.apply(x) as tf.Tensor]); // builds both
  const values = hybrid.weights.map((w, index) => tf.tensor(seededValues(w.shape.reduce((a, b) => a! * b!, 1)!, 40 + index), w.shape as number[]));
  hybrid.setWeights(values);
  plain.setWeights(values);
  tf.dispose([x, ...values]);
  return { hybrid, plain };
}

await describeBackends(TEST_BACKENDS, () => {
  it('hybridMask is the band |i − j| <= r plus full global rows and columns, for self- and cross-attention shapes', async () => {
    for (const [queryLength, keyLength, r, globals] of [
      [7, 7, 1, [0, 4]],
      [5, 5, 0, [2]],
      [4, 6, 2, [5]], // position 5 is a key column only (no query row 5)
      [6, 3, 1, []],
    ] as Array<[number, number, number, number[]]>) {
      const mask = hybridMask(queryLength, keyLength, { radius: r, globalTokens: globals });
      expect(mask.shape).toEqual([queryLength, keyLength]);
      expect(mask.dtype).toBe('bool');
      const expected = Array.from({ length: queryLength * keyLength }, (_, index) => Number(hybridVisible(Math.floor(index / keyLength), index % keyLength, globals, r)));
      expect(await flat(mask), `hybridMask(${queryLength}, ${keyLength}, r=${r}, globals=[${globals}])`).toEqual(expected);
      mask.dispose();
    }
    await expectNoLeaks(() => hybridMask(5, 5, { radius: 1, globalTokens: [0] }), 'hybridMask');
  });

  it('scaledDotProductAttention with hybridMask equals the float64 reference: zero weight outside the pattern, global rows see every key', async () => {
    const [heads, depth] = [2, 3];
    const [queryValues, keyValues, valueValues] = [1, 2, 3].map((seed) => seededValues(batch * heads * time * depth, 50 + seed));
    const [query, key, value] = [queryValues, keyValues, valueValues].map((values) => tf.tensor4d(values!, [batch, heads, time, depth]));
    const padding = paddingMask(lengths, time);
    const mask = combineMasks(hybridMask(time, time, { radius, globalTokens }), padding)!;
    const [context, weights] = scaledDotProductAttention(query!, key!, value!, { mask, returnWeights: true });
    const expected = naiveAttention({
      query: queryValues!, key: keyValues!, value: valueValues!, batch, heads, queryLength: time, keyLength: time, depth, valueDepth: depth,
      scale: 1 / Math.sqrt(depth), mayAttend: (b, _h, t, s) => hybridVisible(t, s) && s < lengths[b]!,
    });
    await expectClose(context, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
    await expectClose(weights, expected.weights, { rtol: 1e-5, atol: 0, label: 'weights' });
    const values = await flat(weights);
    values.forEach((weight, index) => {
      const [b, t, s] = [Math.floor(index / (heads * time * time)), Math.floor(index / time) % time, index % time];
      const visible = hybridVisible(t, s) && s < lengths[b]!;
      if (!visible) expect(weight, `weight [${b}, ·, ${t}, ${s}] outside the pattern`).toBe(0);
      else expect(weight, `weight [${b}, ·, ${t}, ${s}] inside the pattern`).toBeGreaterThan(0);
    });
    tf.dispose([query!, key!, value!, padding, mask, context, weights]);
  });

  it('HybridAttention equals MultiHeadAttention given the explicit hybrid mask, with padding and causal masks too', async () => {
    const { hybrid, plain } = twinLayers();
    const x = tf.randomNormal([batch, time, width], 0, 1, 'float32', 9);
    const padding = paddingMask(lengths, time);
    const explicit = combineMasks(padding, hybridMask(time, time, { radius, globalTokens }))!;
    for (const useCausalMask of [false, true]) {
      const [output, scores] = hybrid.apply(x, { attentionMask: padding, useCausalMask, returnAttentionScores: true }) as tf.Tensor[];
      const [expectedOutput, expectedScores] = plain.apply(x, { attentionMask: explicit, useCausalMask, returnAttentionScores: true }) as tf.Tensor[];
      await expectClose(output!, expectedOutput!, { rtol: 1e-5, atol: 1e-6, label: `output (causal ${useCausalMask})` });
      await expectClose(scores!, expectedScores!, { rtol: 1e-5, atol: 0, label: `scores (causal ${useCausalMask})` });
      // By construction: exactly zero outside band ∪ global rows/columns, and on padded keys.
      const values = await flat(scores!);
      values.forEach((weight, index) => {
        const [b, t, s] = [Math.floor(index / (2 * time * time)), Math.floor(index / time) % time, index % time];
        if (!hybridVisible(t, s) || s >= lengths[b]! || (useCausalMask && s > t)) expect(weight, `score [${b}, ·, ${t}, ${s}]`).toBe(0);
        else expect(weight, `score [${b}, ·, ${t}, ${s}]`).toBeGreaterThan(0);
      });
      tf.dispose([output!, scores!, expectedOutput!, expectedScores!]);
    }
    // The fast path (no scores returned) agrees with the weights path.
    const fast = hybrid.apply(x, { attentionMask: padding }) as tf.Tensor;
    const reference = plain.apply(x, { attentionMask: explicit }) as tf.Tensor;
    await expectClose(fast, reference, { rtol: 1e-5, atol: 1e-6, label: 'fast path' });
    await expectNoLeaks(() => tf.tidy(() => hybrid.apply(x, { attentionMask: padding }) as tf.Tensor), 'HybridAttention call');
    tf.dispose([x, padding, explicit, fast, reference]);
  });

  it('has input and weight gradients equal to central differences', async () => {
    const { hybrid } = twinLayers();
    const x = tf.variable(tf.tensor3d(seededValues(time * width, 61), [1, time, width]));
    const cotangent = tf.tensor3d(seededValues(time * width, 62), [1, time, width]);
    const loss = () => tf.sum(tf.mul(hybrid.apply(x) as tf.Tensor, cotangent)) as tf.Scalar;
    const weights = hybrid.trainableWeights.map((w) => w.read() as tf.Variable);
    await expectGradientsMatchFiniteDifferences(loss, [x, ...weights], { label: 'HybridAttention' });
    tf.dispose([x, cotangent]);
  });

  it('works in a tf.model graph with a float32 padding mask input and equals the eager layer after save/load', async () => {
    const { hybrid } = twinLayers();
    const input = tf.input({ shape: [time, width] });
    const maskInput = tf.input({ shape: [1, time] }); // float32 0/1, as tfjs graphs carry masks
    const output = hybrid.apply([input, input, input, maskInput]) as tf.SymbolicTensor;
    expect(output.shape).toEqual([null, time, width]);
    const model = tf.model({ inputs: [input, maskInput], outputs: output });
    const loaded = await saveAndLoad(model);
    expect(loaded.layers.find((layer) => layer instanceof HybridAttention)?.getConfig()).toMatchObject({ radius, globalTokens });
    const x = tf.randomNormal([batch, time, width], 0, 1, 'float32', 10);
    const padding = paddingMask(lengths, time);
    const feeds = [x, tf.cast(padding, 'float32')];
    const eager = hybrid.apply(x, { attentionMask: padding }) as tf.Tensor;
    const [graph, reloaded] = [model.predict(feeds) as tf.Tensor, loaded.predict(feeds) as tf.Tensor];
    await expectClose(graph, eager, { rtol: 1e-5, atol: 1e-6, label: 'graph' });
    await expectClose(reloaded, eager, { rtol: 1e-5, atol: 1e-6, label: 'saved and loaded' });
    tf.dispose([x, padding, ...feeds, eager, graph, reloaded]);
  });
});

it('round-trips its config, computes output shapes and rejects bad arguments by name', () => {
  const layer = expectConfigRoundTrip(new HybridAttention({ numHeads: 2, keyDim: 4, radius: 3, globalTokens: [5, 0, 5] }));
  expect(layer.getConfig()).toMatchObject({ radius: 3, globalTokens: [0, 5], numHeads: 2, keyDim: 4 });
  expect(layer.computeOutputShape([null, 9, 8])).toEqual([null, 9, 8]);
  expect(() => new HybridAttention({ numHeads: 2, keyDim: 4, radius: -1 })).toThrow('HybridAttention: radius must be a non-negative integer; got -1');
  expect(() => new HybridAttention({ numHeads: 2, keyDim: 4, radius: 1, globalTokens: [1.5] })).toThrow(/HybridAttention: globalTokens must be an array of non-negative integer positions; got \[1.5\]/);
  expect(() => hybridMask(4, 4, { radius: 1, globalTokens: [4] })).toThrow('hybridMask: globalTokens must hold integer positions in [0, 4) for (queryLength, keyLength) = (4, 4); got 4');
  expect(() => hybridMask(0, 4, { radius: 1 })).toThrow('hybridMask: queryLength must be a positive integer; got 0');
  const short = new HybridAttention({ numHeads: 1, keyDim: 2, radius: 1, globalTokens: [6] });
  const x = tf.zeros([1, 3, 4]);
  expect(() => short.apply(x)).toThrow('HybridAttention: global token 6 lies beyond the sequence: (queryLength, keyLength) = (3, 3)');
  x.dispose();
});
