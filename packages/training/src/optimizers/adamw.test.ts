// heed's Hugging Face fine-tuning recipe (adamw + linearScheduleWithWarmup + clipNorm 1) against
// PyTorch 1.13: torch.optim.AdamW with transformers' two parameter groups, LambdaLR with
// get_linear_schedule_with_warmup's lambda, clip_grad_norm_(1.0) (scripts/make-adamw-fixture.py).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { expectClose } from '@heed/backends/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import fixture from '../__fixtures__/adamw-linear-warmup.json';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { linearScheduleWithWarmup } from '../schedules/linear-schedule-with-warmup';
import { fromVariables } from '../trainer/trainable-model';
import { Trainer } from '../trainer/trainer';
import { adam } from './adam';
import { adamw, isNoDecayParameter } from './adamw';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

type Name = keyof typeof fixture.initial;

/** Fixture's network in PyTorch's layout: Linear weights are (out, in). */
function tinyModel() {
  const variables = Object.fromEntries(
    Object.entries(fixture.initial).map(([name, { shape, data }]) => [name, tf.variable(tf.tensor(data, shape), true, `${name}-${Math.random()}`)]),
  ) as Record<Name, tf.Variable>;
  const linear = (x: tf.Tensor, prefix: 'dense' | 'classifier') => tf.add(tf.matMul(x, variables[`${prefix}.weight`], false, true), variables[`${prefix}.bias`]);
  return fromVariables(variables, (x) =>
    tf.tidy(() => {
      const hidden = linear(x, 'dense');
      const { mean, variance } = tf.moments(hidden, -1, true);
      const normed = tf.div(tf.sub(hidden, mean), tf.sqrt(tf.add(variance, 1e-12)));
      return linear(tf.tanh(tf.add(tf.mul(normed, variables['LayerNorm.weight']), variables['LayerNorm.bias'])), 'classifier');
    }),
  );
}

async function train(optimizer = adamw()) {
  const { peakLearningRate, warmupSteps, totalSteps, maxNorm } = fixture.settings;
  const model = tinyModel();
  const trainer = new Trainer({
    model,
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits),
    optimizer,
    schedule: linearScheduleWithWarmup({ peakLearningRate, warmupSteps, totalSteps }),
    clipNorm: maxNorm,
  });
  const steps: { loss: number; learningRate: number }[] = [];
  await trainer.fit({ x: fixture.x, y: fixture.y }, { epochs: totalSteps, batchSize: fixture.y.length, shuffle: false, callbacks: [{ onBatchEnd: (logs) => void steps.push(logs) }] });
  const weights = Object.fromEntries(await Promise.all(model.weights.map(async (weight) => [weight.name, Array.from(await weight.variable.data())] as const)));
  tf.dispose(model.weights.map((weight) => weight.variable));
  optimizer.dispose();
  return { steps, weights };
}

describe('adamw + linearScheduleWithWarmup + clipNorm 1 equal PyTorch 1.13 (transformers Trainer defaults)', () => {
  it('the decay rule picks the weights transformers decays', () => {
    const names = Object.keys(fixture.initial);
    expect(names.filter((name) => !isNoDecayParameter(name))).toEqual(fixture.decayed);
  });

  it('gives PyTorch’s losses, learning rates and final weights over 12 steps (4 of them clipped)', async () => {
    expect(fixture.steps.filter((step) => step.gradientNorm > 1)).toHaveLength(4); // clipping is exercised
    const { steps, weights } = await train();
    expect(steps.map((step) => step.learningRate)).toEqual(fixture.steps.map((step) => step.learningRate)); // float64, exactly
    await expectClose(
      steps.map((step) => step.loss),
      fixture.steps.map((step) => step.loss),
      { rtol: 1e-5, atol: 1e-6 },
    );
    for (const [name, expected] of Object.entries(fixture.final)) await expectClose(weights[name]!, expected, { rtol: 1e-5, atol: 1e-6, label: name });
  });

  it('the test can fail: decaying every weight (plain adam weightDecay) moves the LayerNorm weight and the biases away from PyTorch', async () => {
    const { weights } = await train(adam({ weightDecay: 0.01 }));
    const worst = (name: string) => Math.max(...weights[name]!.map((value, index) => Math.abs(value - fixture.final[name as Name][index]!)));
    for (const name of ['LayerNorm.weight', 'dense.bias', 'classifier.bias']) expect(worst(name), name).toBeGreaterThan(1e-4);
  });
});

describe('isNoDecayParameter', () => {
  it.each([
    ['bert.embeddings.LayerNorm.weight', true],
    ['bert.encoder.layer.11.output.LayerNorm.bias', true],
    ['bert.encoder.layer.0.attention.self.query.bias', true],
    ['distilbert.transformer.layer.0.sa_layer_norm.weight', true],
    ['distilbert.transformer.layer.0.output_layer_norm.weight', true],
    ['vit.encoder.layer.0.layernorm_before.weight', true],
    ['vit.layernorm.weight', true],
    ['transformer.h.0.ln_1.weight', true],
    ['bert.embeddings.word_embeddings.weight', false],
    ['bert.encoder.layer.0.attention.self.query.weight', false],
    ['classifier.weight', false],
    ['bert.pooler.dense.weight', false],
  ])('%s -> %s', (name, expected) => {
    expect(isNoDecayParameter(name)).toBe(expected);
  });
});

describe('linearScheduleWithWarmup', () => {
  it('is 0 at the first update with warm-up, peaks after it, falls linearly to 0 and stays there', () => {
    const schedule = linearScheduleWithWarmup({ peakLearningRate: 1, warmupSteps: 4, totalSteps: 12 });
    expect(Array.from({ length: 14 }, (_, step) => schedule.at(step))).toEqual([0, 0.25, 0.5, 0.75, 1, 7 / 8, 6 / 8, 5 / 8, 4 / 8, 3 / 8, 2 / 8, 1 / 8, 0, 0]);
    expect(linearScheduleWithWarmup({ peakLearningRate: 1, warmupSteps: 0, totalSteps: 4 }).at(0)).toBe(1);
  });

  it('names the bad setting', () => {
    expect(() => linearScheduleWithWarmup({ peakLearningRate: 1, warmupSteps: 5, totalSteps: 4 })).toThrow('warmupSteps must be an integer in [0, totalSteps=4], got 5');
    expect(() => linearScheduleWithWarmup({ peakLearningRate: 0, warmupSteps: 0, totalSteps: 4 })).toThrow('peakLearningRate must be a positive number, got 0');
  });
});
