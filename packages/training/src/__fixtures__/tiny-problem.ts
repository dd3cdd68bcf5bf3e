// Test-only helpers: a small seeded classification problem and models for the trainer tests.
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../trainer/seeded-random';
import { fromVariables, type TrainableModel } from '../trainer/trainable-model';

/** Three Gaussian blobs in 2-D: `examples` points, labels 0..2 (deterministic). */
export function blobs(examples: number, seed = 1): { x: number[][]; y: number[] } {
  const random = new SeededRandom(seed);
  const centers = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const x: number[][] = [];
  const y: number[] = [];
  for (let index = 0; index < examples; index++) {
    const label = index % 3;
    x.push([centers[label]![0]! + 0.6 * gaussian(), centers[label]![1]! + 0.6 * gaussian()]);
    y.push(label);
  }
  return { x, y };
}

/** A 2 -> 8 (tanh) -> 3 MLP as a function of variables, initialised from `seed`. */
export function mlp(seed = 3, hidden = 8): TrainableModel & { variables: tf.Variable[] } {
  // Inside tidy, so the initial values the variables copy are freed.
  const [hiddenWeight, hiddenBias, outputWeight, outputBias] = tf.tidy(() => [
    tf.variable(tf.randomNormal([2, hidden], 0, 0.5, 'float32', seed)),
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.randomNormal([hidden, 3], 0, 0.5, 'float32', seed + 1)),
    tf.variable(tf.zeros([3])),
  ]) as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const model = fromVariables({ hiddenWeight, hiddenBias, outputWeight, outputBias }, (inputs) =>
    tf.tidy(() => tf.tanh(inputs.matMul(hiddenWeight).add(hiddenBias)).matMul(outputWeight).add(outputBias)),
  );
  return { ...model, variables: [hiddenWeight, hiddenBias, outputWeight, outputBias] };
}

/** The same MLP as a tf.LayersModel with seeded initialisers. */
export function layersMlp(seed = 3, hidden = 8): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: hidden, inputShape: [2], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

/** Reads every weight of a model into plain arrays (outside tidy). */
export async function readWeights(model: TrainableModel): Promise<number[][]> {
  return Promise.all(model.weights.map(async (weight) => Array.from(await weight.variable.data())));
}
