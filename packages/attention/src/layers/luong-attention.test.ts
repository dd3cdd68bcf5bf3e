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
  times,
  weightsByName,
} from '../testing/scored-attention-checks';
import { LuongAttention, type LuongScoreMode } from './luong-attention';

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

/** Luong eq. (8) in float64 from the layer's weights. */
function referenceScore(mode: LuongScoreMode, w: Record<string, Float32Array>, keyDim: number, units: number) {
  return (_b: number, q: number[], k: number[]) => {
    if (mode === 'dot') return dot(q, k);
    if (mode === 'general') return dot(times(q, w['kernel']!, keyDim), k);
    const hidden = times(q, w['concat_kernel']!, units).map((x, u) => Math.tanh(x + times(k, w['concat_kernel']!, units, q.length)[u]!));
    return dot(hidden, Array.from(w['score_vector']!));
  };
}

await describeBackends(TEST_BACKENDS, () => {
  for (const scoreMode of ['dot', 'general', 'concat'] as const) {
    it(`${scoreMode}: equals a float64 loop reference, masked keys get exactly zero weight, gradients match central differences`, async () => {
      const inputs = attentionInputs();
      const layer = new LuongAttention({ scoreMode, units: 2 });
      randomizeWeights(layer, inputs);
      const expected = await naiveScoredAttention(inputs, referenceScore(scoreMode, await weightsByName(layer), 3, 2));
      const [context, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[];
      await expectClose(context!, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
      await expectClose(weights!, expected.weights, { rtol: 1e-5, atol: 1e-6, label: 'weights' });
      await expectMaskedKeysGetZeroWeight(layer, inputs);
      await expectLayerGradientsMatchFiniteDifferences(layer, inputs, { useCausalMask: true });
      tf.dispose([context!, weights!]);
      inputs.dispose();
    });
  }

  it('works in a tf.model graph and after save/load', async () => {
    const inputs = attentionInputs();
    await expectGraphAndSaveLoadMatchEager(new LuongAttention({ scoreMode: 'concat' }), inputs);
    inputs.dispose();
  });
});

it('round-trips its config and rejects a dot score on unequal widths', () => {
  for (const scoreMode of ['dot', 'general', 'concat'] as const) expectConfigRoundTrip(new LuongAttention({ scoreMode, units: 3 }));
  expect(() => new LuongAttention({ scoreMode: 'bilinear' as never })).toThrow(/scoreMode must be one of dot, general, concat; got bilinear/);
  const inputs = attentionInputs({ queryDim: 2 });
  expect(() => new LuongAttention({ scoreMode: 'dot' }).apply([inputs.query, inputs.value, inputs.key])).toThrow(
    "LuongAttention: scoreMode 'dot' needs equal query and key widths; got query [2,3,2] and key [2,4,3]",
  );
  inputs.dispose();
});
