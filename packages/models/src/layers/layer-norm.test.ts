import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectConfigRoundTrip, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { LayerNorm } from './layer-norm';

/** Independent reference: (x − mean) / √(var + ε) · γ + β per row, in float64. */
function referenceLayerNorm(rows: number[][], gamma: number[], beta: number[], epsilon: number): number[] {
  return rows.flatMap((row) => {
    const mean = row.reduce((sum, value) => sum + value, 0) / row.length;
    const variance = row.reduce((sum, value) => sum + (value - mean) ** 2, 0) / row.length;
    return row.map((value, index) => ((value - mean) / Math.sqrt(variance + epsilon)) * gamma[index]! + beta[index]!);
  });
}

await describeBackends(TEST_BACKENDS, () => {
  it('normalizes the last axis with its epsilon (1e-6 default, 1e-12 as BERT, 0.5 to see it act)', async () => {
    const x = tf.tensor3d([[[1, 2, 4, 8], [0.001, -0.002, 0.003, 0]]]);
    for (const epsilon of [undefined, 1e-12, 0.5]) {
      const norm = new LayerNorm(epsilon === undefined ? {} : { epsilon });
      expect(norm.epsilon).toBe(epsilon ?? 1e-6);
      (norm.apply(x) as tf.Tensor).dispose();
      norm.setWeights([tf.tensor1d([1, 2, 0.5, -1]), tf.tensor1d([0, 0.1, -0.2, 0.3])]);
      const output = norm.apply(x) as tf.Tensor;
      await expectClose(output, referenceLayerNorm([[1, 2, 4, 8], [0.001, -0.002, 0.003, 0]], [1, 2, 0.5, -1], [0, 0.1, -0.2, 0.3], norm.epsilon), { atol: 1e-4 });
      expect(expectConfigRoundTrip(norm).epsilon).toBe(norm.epsilon);
      await expectNoLeaks(() => tf.tidy(() => norm.apply(x) as tf.Tensor), 'LayerNorm');
      output.dispose();
      norm.dispose();
    }
    x.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; the layerNormalization op has its own tests on every backend in @heed/attention' } });
