import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { expectConfigRoundTrip } from '../testing/expect-config-round-trip';
import {
  attentionInputs,
  expectGraphAndSaveLoadMatchEager,
  expectLayerGradientsMatchFiniteDifferences,
  expectMaskedKeysGetZeroWeight,
  naiveScoredAttention,
  randomizeWeights,
  SHAPES,
  times,
  weightsByName,
} from '../testing/scored-attention-checks';
import { LocalAttention } from './local-attention';

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

await describeBackends(TEST_BACKENDS, () => {
  it('local-m: attends only to |s − t| <= D, otherwise Luong general, with exact zeros outside', async () => {
    const inputs = attentionInputs();
    const layer = new LocalAttention({ window: 1, mode: 'local-m' });
    randomizeWeights(layer, inputs);
    const w = await weightsByName(layer);
    const expected = await naiveScoredAttention(inputs, (_b, q, k) => dot(times(q, w['kernel']!, 3), k), { visible: (_b, t, s) => Math.abs(s - t) <= 1 });
    const [context, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[];
    await expectClose(context!, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
    await expectClose(weights!, expected.weights, { rtol: 1e-5, atol: 0, label: 'weights (exact zeros outside the window)' });
    await expectMaskedKeysGetZeroWeight(layer, inputs);
    await expectLayerGradientsMatchFiniteDifferences(layer, inputs);
    tf.dispose([context!, weights!]);
    inputs.dispose();
  });

  it('local-p: predicts pₜ = S·sigmoid(v_pᵀ tanh(W_p q)), windows around it and weights by a Gaussian', async () => {
    const inputs = attentionInputs();
    const window = 1;
    const layer = new LocalAttention({ window, mode: 'local-p', predictorUnits: 2 });
    randomizeWeights(layer, inputs, 300);
    const w = await weightsByName(layer);
    const aligned = (q: number[]) => {
      const hidden = times(q, w['position_kernel']!, 2).map(Math.tanh);
      return SHAPES.keyLength / (1 + Math.exp(-dot(hidden, Array.from(w['position_vector']!))));
    };
    const query = (await inputs.query.array()) as number[][][];
    const sigma = window / 2;
    const expected = await naiveScoredAttention(inputs, (_b, q, k) => dot(times(q, w['kernel']!, 3), k), {
      visible: (b, t, s) => Math.abs(s - aligned(query[b]![t]!)) <= window,
      reweight: (_b, _t, s, q) => Math.exp(-((s - aligned(q)) ** 2) / (2 * sigma * sigma)),
    });
    const positions = layer.alignedPositions(inputs.query, SHAPES.keyLength);
    const [context, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[];
    await expectClose(positions, query.flatMap((rows) => rows.map(aligned)), { rtol: 1e-5, atol: 1e-6, label: 'aligned positions' });
    await expectClose(context!, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
    await expectClose(weights!, expected.weights, { rtol: 1e-5, atol: 0, label: 'weights' });
    await expectMaskedKeysGetZeroWeight(layer, inputs, false);
    // Gradients reach the position predictor through the Gaussian (the window itself is a step).
    await expectLayerGradientsMatchFiniteDifferences(layer, inputs);
    tf.dispose([positions, context!, weights!]);
    inputs.dispose();
  });

  it('works in a tf.model graph and after save/load', async () => {
    const inputs = attentionInputs();
    await expectGraphAndSaveLoadMatchEager(new LocalAttention({ window: 2, mode: 'local-p' }), inputs);
    inputs.dispose();
  });
});

it('round-trips its config and rejects bad windows', () => {
  expectConfigRoundTrip(new LocalAttention({ window: 3, mode: 'local-m', scoreMode: 'dot' }));
  expectConfigRoundTrip(new LocalAttention({ window: 2, mode: 'local-p', predictorUnits: 5, scoreMode: 'concat', units: 4 }));
  expect(() => new LocalAttention({ window: -1 })).toThrow('LocalAttention: window must be a non-negative integer; got -1');
  expect(() => new LocalAttention({ window: 0, mode: 'local-p' })).toThrow(/local-p needs window >= 1/);
});
