// Proof that the trainer learns a real task: scikit-learn's 8x8 handwritten digits (UCI), exported
// by scripts/make-fixtures.py with a fixed 360-image test split, then shipped compressed.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { beforeAll, expect, it } from 'vitest';
import digits from '../src/__fixtures__/digits.json';
import { saveQuantizedModel } from '../src/compression/quantize-weights';
import { sparseCategoricalCrossEntropy } from '../src/losses/sparse-categorical-cross-entropy';
import { accuracy } from '../src/metrics/accuracy';
import { precisionRecallF1 } from '../src/metrics/precision-recall-f1';
import { tensorAccuracy } from '../src/metrics/tensor-accuracy';
import { adam } from '../src/optimizers/adam';
import { warmupCosineSchedule } from '../src/schedules/warmup-cosine-schedule';
import { Trainer } from '../src/trainer/trainer';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const testSet = new Set(digits.testIndices);
const split = (keep: (index: number) => boolean) => {
  const indices = digits.labels.map((_, index) => index).filter(keep);
  return { x: indices.map((index) => digits.images[index]!.map((pixel) => pixel / 16)), y: indices.map((index) => digits.labels[index]!) };
};
const train = split((index) => !testSet.has(index));
const test = split((index) => testSet.has(index));

function model(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 32, inputShape: [64], activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }),
      tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
}

async function predictedClasses(network: tf.LayersModel): Promise<number[]> {
  const predicted = tf.tidy(() => tf.argMax(network.predict(tf.tensor2d(test.x)) as tf.Tensor, -1));
  const values = Array.from(await predicted.data());
  predicted.dispose();
  return values;
}

it('an MLP learns sklearn digits to >= 95% test accuracy in seconds, and survives float16/uint8 compression', async () => {
  const network = model();
  const epochs = 12;
  const trainer = new Trainer({
    model: network,
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits),
    optimizer: adam({ weightDecay: 1e-4 }),
    schedule: warmupCosineSchedule({ peakLearningRate: 0.01, warmupSteps: 20, totalSteps: epochs * Math.ceil(train.y.length / 32) }),
    metrics: { accuracy: tensorAccuracy },
    seed: 1,
  });
  const started = performance.now();
  const { history } = await trainer.fit(train, { epochs, batchSize: 32, validationData: test });
  const seconds = (performance.now() - started) / 1000;

  const predicted = await predictedClasses(network);
  const testAccuracy = accuracy(test.y, predicted);
  expect(testAccuracy).toBeCloseTo(history[epochs - 1]!.val_accuracy!, 6); // tensorAccuracy is float32
  expect(testAccuracy).toBeGreaterThanOrEqual(0.95);
  expect(precisionRecallF1(test.y, predicted, 10).macro.f1).toBeGreaterThanOrEqual(0.94);

  const report: string[] = [`digits: ${train.y.length} train / ${test.y.length} test, ${epochs} epochs in ${seconds.toFixed(1)} s (${tf.getBackend()}), test accuracy ${testAccuracy.toFixed(4)}`];
  for (const quantization of ['float16', 'uint8'] as const) {
    let saved: tf.io.ModelArtifacts | undefined;
    const sizes = await saveQuantizedModel(network, tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }), quantization);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const compressedAccuracy = accuracy(test.y, await predictedClasses(loaded));
    loaded.dispose();
    report.push(
      `${quantization}: weights ${sizes.float32Bytes} -> ${sizes.weightBytes} bytes (${(100 * (1 - sizes.weightBytes / sizes.float32Bytes)).toFixed(0)}% saved), ` +
        `test accuracy ${compressedAccuracy.toFixed(4)} (${((compressedAccuracy - testAccuracy) * 100).toFixed(2)} points)`,
    );
    expect(sizes.weightBytes).toBe(quantization === 'float16' ? sizes.float32Bytes / 2 : sizes.float32Bytes / 4);
    expect(Math.abs(compressedAccuracy - testAccuracy)).toBeLessThanOrEqual(0.01);
  }
  console.log(report.join('\n'));
  network.dispose();
  trainer.optimizer.dispose();
});
