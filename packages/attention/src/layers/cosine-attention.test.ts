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
} from '../testing/scored-attention-checks';
import { CosineAttention } from './cosine-attention';

const cosine = (a: number[], b: number[]) => {
  const dot = a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  return dot / Math.hypot(...a) / Math.hypot(...b);
};

await describeBackends(TEST_BACKENDS, () => {
  it('scores cos(q, k) / τ like a float64 reference, fixed or learned τ; masked keys get exactly zero weight', async () => {
    const inputs = attentionInputs();
    const expected = await naiveScoredAttention(inputs, (_b, q, k) => cosine(q, k) / 0.25);
    for (const learnTemperature of [false, true]) {
      const layer = new CosineAttention({ temperature: 0.25, learnTemperature });
      const [context, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { returnAttentionScores: true }) as tf.Tensor[];
      expect(layer.trainableWeights.map((w) => w.originalName.split('/').pop())).toEqual(learnTemperature ? ['log_inverse_temperature'] : []);
      await expectClose(context!, expected.context, { rtol: 1e-5, atol: 1e-6, label: 'context' });
      await expectClose(weights!, expected.weights, { rtol: 1e-5, atol: 1e-6, label: 'weights' });
      await expectMaskedKeysGetZeroWeight(layer, inputs);
      tf.dispose([context!, weights!]);
    }
    inputs.dispose();
  });

  it('has input and temperature gradients equal to central differences', async () => {
    const inputs = attentionInputs();
    const layer = new CosineAttention({ temperature: 0.5, learnTemperature: true });
    tf.dispose(layer.apply([inputs.query, inputs.value, inputs.key]) as tf.Tensor);
    await expectLayerGradientsMatchFiniteDifferences(layer, inputs);
    inputs.dispose();
  });

  it('works in a tf.model graph and after save/load', async () => {
    const inputs = attentionInputs();
    await expectGraphAndSaveLoadMatchEager(new CosineAttention({ temperature: 0.3, learnTemperature: true }), inputs);
    inputs.dispose();
  });
});

it('round-trips its config and rejects bad temperatures and widths', () => {
  expectConfigRoundTrip(new CosineAttention({ temperature: 0.07, learnTemperature: true, dropout: 0.1 }));
  expect(() => new CosineAttention({ temperature: 0 })).toThrow('CosineAttention: temperature must be a positive number; got 0');
  const inputs = attentionInputs({ queryDim: 2 });
  expect(() => new CosineAttention().apply([inputs.query, inputs.value, inputs.key])).toThrow(/query and key need the same width .* query \[2,3,2\] and key \[2,4,3\]/);
  inputs.dispose();
});
