import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, seededValues, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { expectConfigRoundTrip, saveAndLoad } from '../testing/expect-config-round-trip';
import { PositionEmbedding } from './position-embedding';
import { applyRotaryEmbedding, RotaryEmbedding } from './rotary-embedding';
import { SinusoidalPositionEncoding, sinusoidalPositionEncoding } from './sinusoidal-position-encoding';

/** Float64 RoPE of one (time, dim) matrix, rotate-half pairing, written from the paper's 2×2 rotations. */
function naiveRope(x: number[][], start = 0, direction = 1, base = 10000): number[][] {
  const dim = x[0]!.length;
  const half = dim / 2;
  return x.map((row, t) => {
    const out = [...row];
    for (let i = 0; i < half; i++) {
      const angle = direction * (start + t) * base ** ((-2 * i) / dim);
      const [a, b] = [row[i]!, row[i + half]!];
      out[i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[i + half] = a * Math.sin(angle) + b * Math.cos(angle);
    }
    return out;
  });
}

await describeBackends(TEST_BACKENDS, () => {
  it('sinusoidal encoding equals sin/cos(pos / 10000^(2i/d)) interleaved, as the layer too', async () => {
    const [length, dim] = [6, 8];
    const expected: number[] = [];
    for (let pos = 0; pos < length; pos++)
      for (let column = 0; column < dim; column++) {
        const angle = (pos + 2) / 10000 ** ((2 * Math.floor(column / 2)) / dim);
        expected.push(column % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
      }
    const encoding = sinusoidalPositionEncoding(length, dim, { start: 2 });
    await expectClose(encoding, expected, { rtol: 1e-4, atol: 1e-5 });
    const tokens = tf.zeros([2, length, dim]);
    const layerOutput = new SinusoidalPositionEncoding().apply(tokens, { startIndex: 2 }) as tf.Tensor;
    expect(layerOutput.shape).toEqual([2, length, dim]);
    await expectClose(layerOutput, [...expected, ...expected], { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([encoding, tokens, layerOutput]);
  });

  it('RoPE equals the 2×2 rotations, keeps norms, makes q·k depend on m − n only, and its gradient is the inverse rotation', async () => {
    const [time, dim] = [5, 6];
    const values = seededValues(time * dim, 21);
    const rows = Array.from({ length: time }, (_, t) => values.slice(t * dim, (t + 1) * dim));
    const x = tf.tensor3d([rows]); // (1, time, dim)
    const rotated = applyRotaryEmbedding(x, { startIndex: 3 });
    await expectClose(rotated, naiveRope(rows, 3).flat(), { rtol: 1e-4, atol: 1e-5, label: 'rope' });
    await expectClose(tf.norm(rotated, 'euclidean', -1), rows.map((row) => Math.hypot(...row)), { rtol: 1e-5, atol: 1e-6, label: 'norms' });
    // Same query and key vector at every position: q_m · k_n is a function of m − n.
    const query = tf.tile(tf.tensor3d([[values.slice(0, dim)]]), [1, time, 1]);
    const key = tf.tile(tf.tensor3d([[values.slice(dim, 2 * dim)]]), [1, time, 1]);
    const dots = (await tf.matMul(applyRotaryEmbedding(query), applyRotaryEmbedding(key), false, true).array()) as number[][][];
    for (let m = 1; m < time; m++) for (let n = 1; n < time; n++) expect(dots[0]![m]![n]!).toBeCloseTo(dots[0]![m - 1]![n - 1]!, 4);
    // RoPE is an orthogonal map: the gradient of sum(rope(x) · c) is rope⁻¹(c) = rope with −angle.
    const cotangent = tf.tensor3d([rows.map((row) => row.map((v) => -v * 0.5))]);
    const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(applyRotaryEmbedding(input), cotangent)))(x);
    await expectClose(gradient, naiveRope((await cotangent.array())[0]!, 0, -1).flat(), { rtol: 1e-4, atol: 1e-5, label: 'gradient' });
    const layer = new RotaryEmbedding();
    const viaLayer = layer.apply(x, { startIndex: 3 }) as tf.Tensor;
    await expectClose(viaLayer, rotated, { rtol: 0, atol: 0 });
    tf.dispose([x, rotated, query, key, cotangent, gradient, viaLayer]);
  });

  it('sinusoidal, rotary and learned positions keep a startIndex given at the symbolic apply in a graph, and after save/load', async () => {
    const input = tf.input({ shape: [3, 4] });
    const [sinusoidal, rotary, learned] = [new SinusoidalPositionEncoding(), new RotaryEmbedding(), new PositionEmbedding({ sequenceLength: 8 })];
    const parts = [sinusoidal.apply(input, { startIndex: 2 }), rotary.apply(input, { startIndex: 3 }), learned.apply(input, { startIndex: 4 })] as tf.SymbolicTensor[];
    const model = tf.model({ inputs: input, outputs: tf.layers.add().apply(parts) as tf.SymbolicTensor });
    const loaded = await saveAndLoad(model);
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 6);
    const table = learned.weights[0]!.read();
    const expected = tf.tidy(() =>
      tf.addN([
        tf.broadcastTo(sinusoidalPositionEncoding(3, 4, { start: 2 }), [2, 3, 4]),
        applyRotaryEmbedding(x, { startIndex: 3 }),
        tf.broadcastTo(table.slice([4, 0], [3, 4]), [2, 3, 4]),
      ]),
    );
    const [graph, reloaded] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    await expectClose(graph, expected, { rtol: 1e-5, atol: 1e-6, label: 'graph' });
    await expectClose(reloaded, expected, { rtol: 1e-5, atol: 1e-6, label: 'saved and loaded' });
    tf.dispose([x, expected, graph, reloaded]);
  });

  it('learned position embedding returns its table rows, trains, and saves/loads with a model', async () => {
    const input = tf.input({ shape: [3, 4] });
    const layer = new PositionEmbedding({ sequenceLength: 5 });
    const output = tf.layers.add().apply([input, layer.apply(input) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    const table = layer.weights[0]!.read();
    const expected = tf.add(x, table.slice([0, 0], [3, 4]));
    const predicted = model.predict(x) as tf.Tensor;
    await expectClose(predicted, expected, { rtol: 1e-6, atol: 1e-6 });
    const loaded = await saveAndLoad(model);
    const reloaded = loaded.predict(x) as tf.Tensor;
    await expectClose(reloaded, expected, { rtol: 1e-6, atol: 1e-6 });
    const gradient = tf.variableGrads(() => tf.sum(model.predict(x) as tf.Tensor) as tf.Scalar, [table as tf.Variable]).grads;
    await expectClose(Object.values(gradient)[0]!, [...new Array(12).fill(2), ...new Array(8).fill(0)], { atol: 1e-6 });
    expect(() => layer.apply(x, { startIndex: 3 })).toThrow('PositionEmbedding: positions 3…5 exceed sequenceLength 5 (inputs [2,3,4])');
    await expectNoLeaks(() => tf.tidy(() => layer.apply(x) as tf.Tensor));
    tf.dispose([x, expected, predicted, reloaded, ...Object.values(gradient)]);
  });
});

it('round-trips configs and rejects bad shapes by name', () => {
  expectConfigRoundTrip(new SinusoidalPositionEncoding({ maxWavelength: 500 }));
  expectConfigRoundTrip(new PositionEmbedding({ sequenceLength: 12, initializer: 'zeros' }));
  expectConfigRoundTrip(new RotaryEmbedding({ maxWavelength: 5000, scalingFactor: 2 }));
  const odd = tf.zeros([2, 3, 5]);
  expect(() => applyRotaryEmbedding(odd)).toThrow('applyRotaryEmbedding: the last axis of x must be even; got shape [2,3,5]');
  expect(() => sinusoidalPositionEncoding(0, 4)).toThrow('sinusoidalPositionEncoding: length must be a positive integer; got 0');
  expect(() => new RotaryEmbedding({ scalingFactor: 0 })).toThrow('RotaryEmbedding: scalingFactor must be > 0; got 0');
  expect(() => new RotaryEmbedding({ maxWavelength: 1 })).toThrow('RotaryEmbedding: maxWavelength must be > 1; got 1');
  const even = tf.zeros([2, 3, 4]);
  expect(() => new SinusoidalPositionEncoding().apply(even, { startIndex: -1 })).toThrow('SinusoidalPositionEncoding: startIndex must be a non-negative integer; got -1');
  expect(() => new RotaryEmbedding().apply(even, { startIndex: 1.5 })).toThrow('RotaryEmbedding: startIndex must be a non-negative integer; got 1.5');
  tf.dispose([odd, even]);
});
