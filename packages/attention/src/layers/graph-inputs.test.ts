import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { paddingMask } from '../masks/padding-mask';
import { saveAndLoad } from '../testing/expect-config-round-trip';
import { LuongAttention } from './luong-attention';
import { MultiHeadAttention } from './multi-head-attention';

const [batch, time, width] = [2, 4, 6];
const lengths = [4, 2];

/**
 * x → Dense → h; attention over [h, h, ...] (the same tensor for query, value and key); output =
 * attention + h (a residual). h has two consumers, which is what tfjs 4.22's executor gets wrong
 * when a node lists h twice.
 */
function residualModel(attend: (h: tf.SymbolicTensor, mask: tf.SymbolicTensor) => tf.SymbolicTensor, masked = true) {
  const x = tf.input({ shape: [time, width] });
  const mask = tf.input({ shape: [1, time] }); // float32 0/1, as tfjs graphs carry masks
  const dense = tf.layers.dense({ units: width, kernelInitializer: 'glorotUniform' });
  const h = dense.apply(x) as tf.SymbolicTensor;
  const output = tf.layers.add().apply([attend(h, mask), h]) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: masked ? [x, mask] : x, outputs: output }), dense };
}

await describeBackends(['cpu'], () => {
  it('tfjs 4.22 itself fails on a node that takes the same intermediate twice (the bug heed sidesteps)', () => {
    // Canary, on cpu where the disposed tensor is read at once: when tfjs fixes its executor this
    // fails, and heed's merging of repeated inputs (GraphInputs) becomes unnecessary, though harmless.
    const x = tf.input({ shape: [time, width] });
    const h = tf.layers.dense({ units: width }).apply(x) as tf.SymbolicTensor;
    const doubled = tf.layers.concatenate().apply([h, h]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.concatenate().apply([doubled, h]) as tf.SymbolicTensor });
    const input = tf.ones([batch, time, width]);
    expect(() => model.predict(input)).toThrow(/reading 'backend'|disposed/);
    input.dispose();
  });
});

await describeBackends(TEST_BACKENDS, () => {
  it('LuongAttention.apply([h, h]) and apply([h, h, h, mask]) in a graph with a residual: predict and save/load equal eager calls', async () => {
    const cases = [
      { name: '[h, h]', attend: (layer: LuongAttention) => (h: tf.SymbolicTensor) => layer.apply([h, h]) as tf.SymbolicTensor, masked: false },
      { name: '[h, h, h, mask]', attend: (layer: LuongAttention) => (h: tf.SymbolicTensor, mask: tf.SymbolicTensor) => layer.apply([h, h, h, mask]) as tf.SymbolicTensor, masked: true },
      { name: 'h, {attentionMask}', attend: (layer: LuongAttention) => (h: tf.SymbolicTensor, mask: tf.SymbolicTensor) => layer.apply(h, { attentionMask: mask }) as tf.SymbolicTensor, masked: true },
    ];
    for (const { name, attend, masked } of cases) {
      const layer = new LuongAttention({ scoreMode: 'general' });
      const { model, dense } = residualModel(attend(layer), masked);
      const x = tf.randomNormal([batch, time, width], 0, 1, 'float32', 7);
      const boolMask = paddingMask(lengths, time); // (batch, 1, time) bool
      const floatMask = tf.cast(boolMask, 'float32');
      const eager = tf.tidy(() => {
        const h = dense.apply(x) as tf.Tensor;
        return tf.add(layer.apply([h, h], masked ? { attentionMask: boolMask } : {}) as tf.Tensor, h);
      });
      const loaded = await saveAndLoad(model);
      const feeds = masked ? [x, floatMask] : x;
      const [graph, reloaded] = [model.predict(feeds) as tf.Tensor, loaded.predict(feeds) as tf.Tensor];
      await expectClose(graph, eager, { rtol: 1e-5, atol: 1e-6, label: `${name}: graph` });
      await expectClose(reloaded, eager, { rtol: 1e-5, atol: 1e-6, label: `${name}: saved and loaded` });
      await expectNoLeaks(() => tf.tidy(() => model.predict(feeds) as tf.Tensor), `${name}: predict`);
      tf.dispose([x, boolMask, floatMask, eager, graph, reloaded]);
    }
  });

  it('MultiHeadAttention.apply([h, h, h, mask]) with a residual: predict, fit and save/load work; the mask matters', async () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    const { model, dense } = residualModel((h, mask) => layer.apply([h, h, h, mask], { useCausalMask: true }) as tf.SymbolicTensor);
    const x = tf.randomNormal([batch, time, width], 0, 1, 'float32', 8);
    const boolMask = paddingMask(lengths, time);
    const floatMask = tf.cast(boolMask, 'float32');
    const [eager, unmasked] = tf.tidy(() => {
      const h = dense.apply(x) as tf.Tensor;
      return [tf.add(layer.apply([h, h], { attentionMask: boolMask }) as tf.Tensor, h), tf.add(layer.apply([h, h]) as tf.Tensor, h)];
    });
    const loaded = await saveAndLoad(model);
    const [graph, reloaded] = [model.predict([x, floatMask]) as tf.Tensor, loaded.predict([x, floatMask]) as tf.Tensor];
    await expectClose(graph, eager!, { rtol: 1e-5, atol: 1e-5, label: 'graph' });
    await expectClose(reloaded, eager!, { rtol: 1e-5, atol: 1e-5, label: 'saved and loaded' });
    expect((await tf.max(tf.abs(tf.sub(eager!, unmasked!))).data())[0], 'the padding mask changes the second sequence').toBeGreaterThan(1e-3);
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const history = await model.fit([x, floatMask], x, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(history.history.loss![0] as number)).toBe(true);
    tf.dispose([x, boolMask, floatMask, eager!, unmasked!, graph, reloaded]);
  });
});

it('names the problem when a layer is reused in graphs with different input layouts, or an eager call gets a float mask', () => {
  const layer = new MultiHeadAttention({ numHeads: 1, keyDim: 2 });
  const [x, y] = [tf.input({ shape: [3, 4] }), tf.input({ shape: [3, 4] })];
  layer.apply([x, x]);
  expect(() => layer.apply([x, y])).toThrow(/MultiHeadAttention: a layer applied several times in graphs must take its inputs the same way each time; got \[\["query"\],\["value"\]\]/);
  const query = tf.zeros([2, 3, 4]);
  const floatMask = tf.ones([2, 3, 3]);
  const luong = new LuongAttention();
  tf.dispose(luong.apply(query) as tf.Tensor); // builds
  const before = tf.memory().numTensors;
  expect(() => luong.apply(query, { attentionMask: floatMask })).toThrow(
    /LuongAttention: attentionMask must have dtype bool or int32 .* got float32 with shape \[2,3,3\].* only as a mask input of a tf.model graph/,
  );
  expect(tf.memory().numTensors, 'no kernel ran before the error').toBe(before);
  tf.dispose([query, floatMask]);
});
