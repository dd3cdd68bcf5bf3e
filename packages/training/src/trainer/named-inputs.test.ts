// The Trainer on a model whose forward takes named tensors ({ input_ids, attention_mask,
// token_type_ids }, as a Hugging Face model), with dropout: validation split, accuracy/F1 each
// epoch, checkpoints, and a mid-epoch resume that gives bit-identical weights and optimizer state.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointCallback } from '../callbacks/checkpoint-callback';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { tensorAccuracy } from '../metrics/tensor-accuracy';
import { tensorF1 } from '../metrics/tensor-f1';
import { adamw } from '../optimizers/adamw';
import { linearScheduleWithWarmup } from '../schedules/linear-schedule-with-warmup';
import { SeededRandom } from './seeded-random';
import { fromHfModel, fromVariables } from './trainable-model';
import { Trainer } from './trainer';
import type { FitOptions, TrainerConfig } from './trainer-types';

let directory: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  directory = await mkdtemp(join(tmpdir(), 'heed-named-inputs-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const VOCAB = 12;
const LENGTH = 8;

/**
 * Padded token sequences: label 1 when token 4 ("good") occurs more often than token 5 ("bad").
 * Segment B (token type 1) starts half way; padding id 0 with attention mask 0.
 */
function sentences(examples: number, seed: number) {
  const random = new SeededRandom(seed);
  const input_ids: number[][] = [];
  const attention_mask: number[][] = [];
  const token_type_ids: number[][] = [];
  const labels: number[] = [];
  while (labels.length < examples) {
    const length = 3 + Math.floor(random.next() * (LENGTH - 3));
    const ids = Array.from({ length }, () => 1 + Math.floor(random.next() * (VOCAB - 1)));
    const good = ids.filter((id) => id === 4).length;
    const bad = ids.filter((id) => id === 5).length;
    if (good === bad) continue;
    input_ids.push([...ids, ...Array<number>(LENGTH - length).fill(0)]);
    attention_mask.push([...Array<number>(length).fill(1), ...Array<number>(LENGTH - length).fill(0)]);
    token_type_ids.push(Array.from({ length: LENGTH }, (_, index) => (index >= length / 2 && index < length ? 1 : 0)));
    labels.push(good > bad ? 1 : 0);
  }
  return { x: { input_ids, attention_mask, token_type_ids }, y: labels };
}

/** Embeddings (+ token types) → masked mean → dropout → classifier, as a function of named tensors with HF weight names. */
function tinyEncoder(seed = 1) {
  const variables = tf.tidy(() => ({
    'embeddings.word_embeddings.weight': tf.variable(tf.randomNormal([VOCAB, 6], 0, 0.5, 'float32', seed)),
    'embeddings.token_type_embeddings.weight': tf.variable(tf.randomNormal([2, 6], 0, 0.5, 'float32', seed + 1)),
    'embeddings.LayerNorm.weight': tf.variable(tf.ones([6])),
    'classifier.weight': tf.variable(tf.randomNormal([6, 2], 0, 0.5, 'float32', seed + 2)),
    'classifier.bias': tf.variable(tf.zeros([2])),
  }));
  return fromVariables(variables, (inputs: tf.NamedTensorMap, training) =>
    tf.tidy(() => {
      const embedded = tf.add(tf.gather(variables['embeddings.word_embeddings.weight'], inputs.input_ids!), tf.gather(variables['embeddings.token_type_embeddings.weight'], inputs.token_type_ids!)); // (batch, time, 6)
      const mask = tf.expandDims(tf.cast(inputs.attention_mask!, 'float32'), -1); // (batch, time, 1)
      const pooled = tf.mul(tf.div(tf.sum(tf.mul(embedded, mask), 1), tf.sum(mask, 1)), variables['embeddings.LayerNorm.weight']); // (batch, 6)
      const dropped = training ? tf.dropout(pooled, 0.3) : pooled;
      return tf.add(tf.matMul(dropped, variables['classifier.weight']), variables['classifier.bias']);
    }),
  );
}

const data = sentences(80, 3);
const trainer = (overrides: Partial<TrainerConfig> = {}) =>
  new Trainer({
    model: tinyEncoder(),
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits),
    optimizer: adamw(),
    schedule: linearScheduleWithWarmup({ peakLearningRate: 0.05, warmupSteps: 3, totalSteps: 40 }),
    clipNorm: 1,
    metrics: { accuracy: tensorAccuracy, f1: tensorF1({ average: 'binary' }) },
    seed: 11,
    ...overrides,
  });
const options: FitOptions = { epochs: 5, batchSize: 8, validationSplit: 0.2 }; // 64 train examples: 8 batches an epoch

async function run(instance: Trainer, fitOptions: FitOptions = options) {
  const losses: number[] = [];
  const { history } = await instance.fit(data, { ...fitOptions, callbacks: [...(fitOptions.callbacks ?? []), { onBatchEnd: (logs) => void losses.push(logs.loss) }] });
  return { losses, history };
}

const read = async (tensors: readonly tf.Tensor[]) => Promise.all(tensors.map(async (tensor) => Array.from(await tensor.data())));

describe('Trainer on named inputs', () => {
  it('trains { input_ids, attention_mask, token_type_ids } with a validation split, reporting val_accuracy and val_f1 each epoch', async () => {
    const instance = trainer();
    const { history } = await run(instance, { ...options, epochs: 8 });
    expect(history).toHaveLength(8);
    for (const epoch of history) expect(Object.keys(epoch).sort()).toEqual(['epoch', 'learningRate', 'loss', 'val_accuracy', 'val_f1', 'val_loss']);
    expect(history[7]!.loss!).toBeLessThan(history[0]!.loss! * 0.8);
    expect(history[7]!.val_accuracy).toBeGreaterThanOrEqual(0.75);
    expect(history[7]!.val_f1).toBeGreaterThan(0.6);
    // evaluate and predict take named inputs too, and agree with the last epoch's validation numbers.
    const validation = { x: { input_ids: data.x.input_ids.slice(64), attention_mask: data.x.attention_mask.slice(64), token_type_ids: data.x.token_type_ids.slice(64) }, y: data.y.slice(64) };
    const evaluated = await instance.evaluate(validation, { batchSize: 5 });
    expect(evaluated.accuracy).toBeCloseTo(history[7]!.val_accuracy!, 10);
    const predictions = await instance.predict(validation.x, { batchSize: 5 });
    expect(predictions.shape).toEqual([16, 2]);
    predictions.dispose();
    const before = tf.memory().numTensors; // slots exist now: more epochs add no tensors
    await instance.fit(data, { ...options, epochs: 10 });
    expect(tf.memory().numTensors).toBe(before);
    instance.optimizer.dispose();
  });

  it('dropout is drawn from the seed: the same seed gives identical losses; without deterministicDropout runs differ', async () => {
    const first = await run(trainer(), { ...options, epochs: 2 });
    const again = await run(trainer(), { ...options, epochs: 2 });
    expect(again.losses).toEqual(first.losses);
    const unseeded = await run(trainer({ deterministicDropout: false }), { ...options, epochs: 2 });
    const unseededAgain = await run(trainer({ deterministicDropout: false }), { ...options, epochs: 2 });
    expect(unseededAgain.losses).not.toEqual(unseeded.losses); // dropout is really on, and Math.random really is its source
    expect(Math.random()).not.toBe(Math.random()); // put back
  });

  it('a checkpoint inside an epoch resumes to bit-identical weights, optimizer slots and data order', async () => {
    const saver = checkpointCallback({ destination: (_epoch, step) => `file://${directory}/step-${step}`, everySteps: 11 });
    const uninterrupted = trainer();
    const reference = await run(uninterrupted, { ...options, callbacks: [saver] });
    expect(saver.savedSteps).toEqual([11, 22, 33]);
    const resumed = trainer({ model: tinyEncoder(99) }); // other initial weights: everything must come from the checkpoint
    await resumed.load(`file://${directory}/step-22`);
    expect(resumed.state).toMatchObject({ epoch: 2, step: 22, batch: 6 });
    const rest = await run(resumed);
    expect(rest.losses).toEqual(reference.losses.slice(22));
    expect(rest.history).toEqual(reference.history.slice(2));
    expect(await read(resumed.model.weights.map((weight) => weight.variable))).toEqual(await read(uninterrupted.model.weights.map((weight) => weight.variable)));
    const slots = async (instance: Trainer) => {
      const map = await instance.optimizer.slots(instance.model.weights);
      return Object.fromEntries(await Promise.all(Object.entries(map).map(async ([name, tensor]) => [name, Array.from(await tensor.data())] as const)));
    };
    const [resumedSlots, referenceSlots] = [await slots(resumed), await slots(uninterrupted)];
    expect(Object.keys(resumedSlots)).toHaveLength(10);
    expect(resumedSlots).toEqual(referenceSlots);
    expect(resumed.optimizer.updates).toBe(uninterrupted.optimizer.updates);
    resumed.optimizer.dispose();
    uninterrupted.optimizer.dispose();
  });

  it('names the input when named tensors disagree on the examples axis', async () => {
    const bad = { x: { input_ids: data.x.input_ids, attention_mask: data.x.attention_mask.slice(1) }, y: data.y };
    await expect(trainer().fit(bad, options)).rejects.toThrow('x: the named tensors disagree on the examples axis: { input_ids [80,8], attention_mask [79,8] }');
  });

  it('fromHfModel trains a model object that returns { logits, ... }, and names a model without logits', async () => {
    const encoder = tinyEncoder();
    const hfLike = { weights: encoder.weights, forward: (inputs: { input_ids: tf.Tensor2D }, forwardOptions?: { training?: boolean }) => ({ logits: encoder.forward(inputs as unknown as tf.NamedTensorMap, forwardOptions?.training ?? false) }) };
    const direct = await run(trainer({ model: tinyEncoder() }), { ...options, epochs: 1 });
    const adapted = await run(trainer({ model: fromHfModel(hfLike) }), { ...options, epochs: 1 });
    expect(adapted.losses).toEqual(direct.losses);
    const headless = fromHfModel({ weights: encoder.weights, forward: () => ({ last_hidden_state: tf.zeros([1, 2, 6]) }) as { logits?: tf.Tensor } });
    expect(() => tf.tidy(() => headless.forward({}, false))).toThrow("fromHfModel: the model's forward returned no logits (outputs: last_hidden_state); use a model with a task head");
  });
});
