import * as tf from '@tensorflow/tfjs';
import { fusedAttention } from '@heed/backends';
import { centralDifference, describeBackends, expectClose, expectNoLeaks, seededValues, TEST_BACKENDS } from '@heed/backends/testing';
import { afterEach, expect, it } from 'vitest';
import { causalMask } from '../masks/causal-mask';
import { combineMasks } from '../masks/combine-masks';
import { paddingMask } from '../masks/padding-mask';
import { naiveAttention } from '../testing/naive-attention';
import { setAttentionFastPath } from './attention-fast-path';
import { maskedSoftmax } from '@heed/backends';
import { scaledDotProductAttention } from './scaled-dot-product-attention';

const [batch, heads, queryLength, keyLength, depth, valueDepth] = [2, 2, 3, 4, 5, 3];
const queryValues = seededValues(batch * heads * queryLength * depth, 1);
const keyValues = seededValues(batch * heads * keyLength * depth, 2);
const valueValues = seededValues(batch * heads * keyLength * valueDepth, 3);
const lengths = [4, 2];
const causalAndPadding = (b: number, _h: number, t: number, s: number) => s <= t && s < lengths[b]!;

function inputs(): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  return [
    tf.tensor4d(queryValues, [batch, heads, queryLength, depth]),
    tf.tensor4d(keyValues, [batch, heads, keyLength, depth]),
    tf.tensor4d(valueValues, [batch, heads, keyLength, valueDepth]),
  ];
}

afterEach(() => setAttentionFastPath(undefined));

await describeBackends(TEST_BACKENDS, () => {
  it('equals a float64 loop reference with causal + padding masks; masked weights are exactly 0', async () => {
    const [query, key, value] = inputs();
    const padding = paddingMask(lengths, keyLength);
    const [context, weights] = scaledDotProductAttention(query, key, value, { mask: padding, causal: true, returnWeights: true });
    const expected = naiveAttention({
      query: queryValues, key: keyValues, value: valueValues, batch, heads, queryLength, keyLength, depth, valueDepth,
      scale: 1 / Math.sqrt(depth), mayAttend: causalAndPadding,
    });
    expect(context.shape).toEqual([batch, heads, queryLength, valueDepth]);
    expect(weights.shape).toEqual([batch, heads, queryLength, keyLength]);
    await expectClose(context, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
    await expectClose(weights, expected.weights, { rtol: 1e-5, atol: 1e-6, label: 'weights' });
    const weightValues = await weights.data();
    expected.weights.forEach((reference, index) => {
      if (reference === 0) expect(weightValues[index]).toBe(0);
    });
    tf.dispose([query, key, value, padding, context, weights]);
  });

  it('gives zeros, not NaN, for a fully masked query row, in values and gradients', async () => {
    const [query, key, value] = inputs();
    const nothingVisible = tf.zeros([batch, 1, queryLength, keyLength], 'bool');
    const [context, weights] = scaledDotProductAttention(query, key, value, { mask: nothingVisible, returnWeights: true });
    await expectClose(context, new Array(context.size).fill(0), { atol: 0 });
    await expectClose(weights, new Array(weights.size).fill(0), { atol: 0 });
    const gradient = tf.grad((q: tf.Tensor) => scaledDotProductAttention(q, key as tf.Tensor, value as tf.Tensor, { mask: nothingVisible }).sum())(query);
    await expectClose(gradient, new Array(gradient.size).fill(0), { atol: 0 });
    tf.dispose([query, key, value, nothingVisible, context, weights, gradient]);
  });

  it('stays finite for huge scores (no overflow from a fill value)', async () => {
    const scores = tf.tensor2d([[3e4, -3e4, 2e4], [-1e30, 5, 1e30]]);
    const mask = tf.tensor2d([[true, true, false], [true, true, false]], undefined, 'bool');
    await expectClose(maskedSoftmax(scores, mask), [1, 0, 0, 0, 1, 0], { atol: 1e-6 });
    tf.dispose([scores, mask]);
  });

  it('has query, key and value gradients equal to central differences of the float64 reference', async () => {
    const [query, key, value] = inputs();
    const padding = paddingMask(lengths, keyLength);
    // A random cotangent makes the loss sensitive to every output element.
    const cotangentValues = seededValues(batch * heads * queryLength * valueDepth, 4);
    const cotangent = tf.tensor4d(cotangentValues, [batch, heads, queryLength, valueDepth]);
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      scaledDotProductAttention(q, k, v, { mask: padding, causal: true }).mul(cotangent).sum();
    const [queryGradient, keyGradient, valueGradient] = tf.grads(loss)([query, key, value]);
    const referenceLoss = (q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>) =>
      naiveAttention({
        query: q, key: k, value: v, batch, heads, queryLength, keyLength, depth, valueDepth,
        scale: 1 / Math.sqrt(depth), mayAttend: causalAndPadding,
      }).context.reduce((sum, x, index) => sum + x * cotangentValues[index]!, 0);
    await expectClose(queryGradient!, centralDifference((q) => referenceLoss(q, keyValues, valueValues), queryValues), { rtol: 1e-4, atol: 1e-5, label: 'dQuery' });
    await expectClose(keyGradient!, centralDifference((k) => referenceLoss(queryValues, k, valueValues), keyValues), { rtol: 1e-4, atol: 1e-5, label: 'dKey' });
    await expectClose(valueGradient!, centralDifference((v) => referenceLoss(queryValues, keyValues, v), valueValues), { rtol: 1e-4, atol: 1e-5, label: 'dValue' });
    tf.dispose([query, key, value, padding, cotangent, queryGradient!, keyGradient!, valueGradient!]);
  });

  it('reads rank-3 inputs as one head, and honours scale', async () => {
    const [query, key, value] = inputs();
    const firstHead = (tensor: tf.Tensor4D) => tensor.slice([0, 0, 0, 0], [batch, 1, -1, -1]).squeeze([1]) as tf.Tensor3D;
    const [query3, key3, value3] = [firstHead(query), firstHead(key), firstHead(value)];
    const rank3 = scaledDotProductAttention(query3, key3, value3, { scale: 0.7, mask: causalMask(queryLength, keyLength) });
    const rank4 = scaledDotProductAttention(query, key, value, { scale: 0.7, causal: true });
    const rank4FirstHead = firstHead(rank4);
    await expectClose(rank3, rank4FirstHead, { rtol: 1e-6, atol: 1e-6 });
    const expected = naiveAttention({
      query: queryValues, key: keyValues, value: valueValues, batch, heads, queryLength, keyLength, depth, valueDepth,
      scale: 0.7, mayAttend: (_b, _h, t, s) => s <= t,
    });
    await expectClose(rank4, expected.context, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([query, key, value, query3, key3, value3, rank3, rank4, rank4FirstHead]);
  });

  it('applies dropout to the weights only while training, scaling survivors by 1/(1-rate)', async () => {
    const [query, key, value] = inputs();
    const plain = scaledDotProductAttention(query, key, value);
    const inference = scaledDotProductAttention(query, key, value, { dropout: 0.5, training: false });
    await expectClose(inference, plain, { rtol: 0, atol: 0 });
    // With value = identity rows, the context is the (dropped) weight matrix itself.
    const identity = tf.eye(keyLength).reshape([1, 1, keyLength, keyLength]).tile([batch, heads, 1, 1]) as tf.Tensor4D;
    const [dropped, weights] = scaledDotProductAttention(query, key, identity, { dropout: 0.5, training: true, seed: 7, returnWeights: true });
    const [droppedValues, weightValues] = [await dropped.data(), await weights.data()];
    let zeros = 0;
    droppedValues.forEach((x, index) => {
      if (x === 0) zeros++;
      else expect(x).toBeCloseTo(2 * weightValues[index]!, 5);
    });
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThan(droppedValues.length);
    tf.dispose([query, key, value, plain, inference, identity, dropped, weights]);
  });

  it('routes to a registered fast path only when no weights or dropout are needed', async () => {
    const [query, key, value] = inputs();
    const calls: Array<{ causal: boolean; scale: number; maskShape?: number[] }> = [];
    setAttentionFastPath((_q, _k, v, options) => {
      calls.push({ causal: options.causal, scale: options.scale, maskShape: options.mask?.shape });
      return tf.zerosLike(v).slice([0, 0, 0, 0], [-1, -1, queryLength, -1]) as tf.Tensor4D;
    });
    const padding = paddingMask(lengths, keyLength);
    const fast = scaledDotProductAttention(query, key, value, { mask: padding, causal: true });
    await expectClose(fast, new Array(fast.size).fill(0), { atol: 0 });
    expect(calls).toEqual([{ causal: true, scale: 1 / Math.sqrt(depth), maskShape: [batch, 1, 1, keyLength] }]);
    const [withWeights, weights] = scaledDotProductAttention(query, key, value, { returnWeights: true });
    expect(calls).toHaveLength(1);
    setAttentionFastPath(() => undefined); // declines: the reference runs
    const declined = scaledDotProductAttention(query, key, value);
    await expectClose(declined, withWeights, { rtol: 0, atol: 0 });
    tf.dispose([query, key, value, padding, fast, withWeights, weights, declined]);
  });

  it('takes @heed/backends fusedAttention as its fast path and then equals the reference, values and gradients', async () => {
    // Contract test of the routing point with an explicit fast path (the default one is tested in fused-fast-path.test.ts).
    const fusedDepth = 4; // fusedAttention needs valueDim = keyDim
    const make = (length: number, seed: number) => tf.tensor4d(seededValues(batch * heads * length * fusedDepth, seed), [batch, heads, length, fusedDepth]);
    const [query, key, value] = [make(queryLength, 41), make(keyLength, 42), make(keyLength, 43)];
    const padding = paddingMask(lengths, keyLength);
    const attend = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => scaledDotProductAttention(q, k, v, { mask: padding, causal: true });
    const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => attend(q, k, v).square().sum();
    const reference = attend(query, key, value);
    const referenceGradients = tf.grads(loss)([query, key, value]);
    let calls = 0;
    setAttentionFastPath((q, k, v, options) => {
      calls++;
      return v.shape[3] === k.shape[3] ? fusedAttention(q, k, v, options) : undefined; // fusedAttention needs valueDim = keyDim
    });
    const fused = attend(query, key, value);
    const fusedGradients = tf.grads(loss)([query, key, value]);
    expect(calls).toBe(2);
    await expectClose(fused, reference, { rtol: 1e-5, atol: 1e-6, label: 'fused context' });
    for (const [index, name] of ['dQuery', 'dKey', 'dValue'].entries()) {
      await expectClose(fusedGradients[index]!, referenceGradients[index]!, { rtol: 1e-4, atol: 1e-5, label: `fused ${name}` });
    }
    tf.dispose([query, key, value, padding, reference, fused, ...referenceGradients, ...fusedGradients]);
  });

  it('leaks nothing, forward or backward', async () => {
    const [query, key, value] = inputs();
    const mask = combineMasks(paddingMask(lengths, keyLength))!;
    await expectNoLeaks(() => scaledDotProductAttention(query, key, value, { mask, causal: true, returnWeights: true }), 'forward');
    await expectNoLeaks(() => tf.grads((q: tf.Tensor, k: tf.Tensor) => scaledDotProductAttention(q, k, value, { mask }).sum())([query, key]), 'backward');
    tf.dispose([query, key, value, mask]);
  });
});

it('names the argument and both shapes on bad input, before any kernel runs', () => {
  const [query, key, value] = inputs();
  const before = tf.memory().numTensors;
  const short = tf.zeros([batch, heads, keyLength, depth - 1]);
  expect(() => scaledDotProductAttention(query, short, value)).toThrow(`key [${[batch, heads, keyLength, depth - 1]}] and query [${query.shape}] must have the same last (dim) axis`);
  const fewerValues = tf.zeros([batch, heads, keyLength + 1, valueDepth]);
  expect(() => scaledDotProductAttention(query, key, fewerValues)).toThrow(/value \[2,2,5,3\] and key \[2,2,4,5\] must have the same time axis/);
  const otherHeads = tf.zeros([batch, 3, keyLength, depth]);
  expect(() => scaledDotProductAttention(query, otherHeads, value)).toThrow(/key \[2,3,4,5\] and query \[2,2,3,5\] differ in the heads axis/);
  const rank2 = tf.zeros([3, 5]);
  expect(() => scaledDotProductAttention(rank2, rank2, rank2)).toThrow(/query must have rank 4 \(batch, heads, time, dim\) or 3 \(batch, time, dim\); got shape \[3,5\]/);
  const floatMask = tf.ones([queryLength, keyLength]);
  expect(() => scaledDotProductAttention(query, key, value, { mask: floatMask })).toThrow(/mask must have dtype bool or int32 .* got float32 with shape \[3,4\]/);
  const wrongMask = tf.ones([queryLength, keyLength + 1], 'bool');
  expect(() => scaledDotProductAttention(query, key, value, { mask: wrongMask })).toThrow(
    /mask with shape \[3,5\] does not broadcast to the attention scores \(batch, heads, queryLength, keyLength\) = \[2,2,3,4\]: its keyLength axis is 5/,
  );
  expect(() => scaledDotProductAttention(query, key, value, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\); got 1/);
  const created = [short, fewerValues, otherHeads, rank2, floatMask, wrongMask];
  expect(tf.memory().numTensors).toBe(before + created.length);
  tf.dispose([query, key, value, ...created]);
});
