// ViTForImageClassification and ViTModel loaded from the PyTorch-written fixture (F32, vit. prefix,
// 16×16×3 images in 4×4 patches) equal the PyTorch reference on every backend: logits, the last
// hidden state, every hidden state and every layer's attention (1e-5), and one eval-mode step's
// loss and every parameter's gradient (1e-4). The patch kernel goes through conv2dToPatchKernel.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfModelOutput } from '../hf/hf-model';
import { crossEntropy, expectOutputsClose, hfGradients, HF_FIXTURES, hfReference, outputTensors, readSafetensors } from '../hf/testing/hf-fixtures';
import { folderSource } from '../hf/sources/folder-source-node';
import { ViTForImageClassification } from './vit-for-image-classification';
import { ViTModel } from './vit-model';

const NAME = 'vit-image-cls-f32';
const source = (name = NAME) => folderSource(join(HF_FIXTURES, name));

async function pixelValues(name = NAME): Promise<tf.Tensor4D> {
  const reference = await hfReference(name);
  return tf.tensor4d(reference.inputs.pixel_values as unknown as number[][][][]);
}

/** One eval-mode step's loss and every gradient equal the fixture's PyTorch ones (1e-4), with no leak. */
async function expectGradientsLikePytorch(model: ViTForImageClassification, pixel_values: tf.Tensor4D, name: string): Promise<void> {
  const reference = await hfReference(name);
  const before = tf.memory().numTensors;
  const { value, grads } = await hfGradients(model, { pixel_values } as never, ({ logits }) => crossEntropy(logits!, reference.labels as number[]));
  expect(tf.memory().numTensors).toBe(before);
  expect(value).toBeCloseTo(reference.loss!, 5);
  const expected = await readSafetensors(join(HF_FIXTURES, name, 'gradients.safetensors'));
  expect([...grads.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [tensor, gradient] of grads) await expectClose(gradient, expected.get(tensor)!.data, { atol: 1e-4, rtol: 0, label: tensor });
}

await describeBackends(TEST_BACKENDS, () => {
  it('qkv_bias false (vit-no-qkv-bias-f32): outputs, attentions, loss and every gradient equal PyTorch\'s Linear(bias=False) model', async () => {
    const name = 'vit-no-qkv-bias-f32';
    const reference = await hfReference(name);
    const model = await fromPretrained<ViTForImageClassification>(source(name), { onWarning: () => undefined });
    expect(model.weights.filter((weight) => /attention\.attention\.(query|key|value)\.bias$/.test(weight.name))).toEqual([]);
    const pixel_values = await pixelValues(name);
    let output: HfModelOutput | undefined;
    await expectNoLeaks(() => outputTensors((output = model.forward({ pixel_values }, { outputHiddenStates: true, outputAttentions: true }))), 'ViTForImageClassification.forward');
    await expectOutputsClose(output!, reference, 1e-5);
    tf.dispose(outputTensors(output!));
    await expectGradientsLikePytorch(model, pixel_values, name);
    pixel_values.dispose();
    model.dispose();
  });

  it('ViTForImageClassification: logits, last/hidden states and attentions equal PyTorch (1e-5), no leaks', async () => {
    const reference = await hfReference(NAME);
    const model = await fromPretrained<ViTForImageClassification>(source(), { onWarning: () => undefined });
    expect(model).toBeInstanceOf(ViTForImageClassification);
    const pixel_values = await pixelValues();
    let output: HfModelOutput | undefined;
    await expectNoLeaks(() => outputTensors((output = model.forward({ pixel_values }, { outputHiddenStates: true, outputAttentions: true }))), 'ViTForImageClassification.forward');
    await expectOutputsClose(output!, reference, 1e-5);
    tf.dispose(outputTensors(output!));
    // Without outputAttentions (the fused kernel may run), the logits are the same.
    const plain = model.forward({ pixel_values });
    await expectClose(await plain.logits!.data(), reference.outputs.logits!.data, { atol: 1e-5, rtol: 0, label: 'logits (no attentions)' });
    tf.dispose(outputTensors(plain));
    pixel_values.dispose();
    model.dispose();
  });

  it('one eval-mode step\'s loss and every gradient equal PyTorch (1e-4)', async () => {
    const model = await fromPretrained<ViTForImageClassification>(source(), { onWarning: () => undefined });
    const pixel_values = await pixelValues();
    await expectGradientsLikePytorch(model, pixel_values, NAME);
    pixel_values.dispose();
    model.dispose();
  });

  it('ViTModel from the classification checkpoint: the same last hidden state, a fresh pooler with a warning', async () => {
    const reference = await hfReference(NAME);
    const warnings: string[] = [];
    const model = await fromPretrained<ViTModel>(source(), { architecture: 'ViTModel', onWarning: (message) => warnings.push(message) });
    expect(model).toBeInstanceOf(ViTModel);
    expect(warnings.join('\n')).toMatch(/pooler\.dense\.weight/);
    const pixel_values = await pixelValues();
    const output = model.forward({ pixel_values }, { outputAttentions: true });
    await expectClose(await output.last_hidden_state.data(), reference.outputs.last_hidden_state.data, { atol: 1e-5, rtol: 0, label: 'last_hidden_state' });
    expect(output.pooler_output!.shape).toEqual([2, 24]);
    expect(output.logits).toBeUndefined();
    tf.dispose(outputTensors(output));
    pixel_values.dispose();
    model.dispose();
  });
});

it('qkv_bias false: the query/key/value biases are fixed zeros no optimizer moves, even one given every trainable variable', async () => {
  await tf.setBackend('cpu');
  const name = 'vit-no-qkv-bias-f32';
  const model = await fromPretrained<ViTForImageClassification>(source(name), { onWarning: () => undefined });
  const biases = model.backbone.blocks.flatMap((block) => block.weights.filter((weight) => /self_attention\/(query|key|value)\/bias$/.test(weight.originalName)));
  expect(biases).toHaveLength(3);
  expect(biases.every((bias) => !bias.trainable)).toBe(true);
  const trainable = new Set(model.backbone.model.trainableWeights.map((weight) => weight.originalName));
  expect(biases.some((bias) => trainable.has(bias.originalName))).toBe(false);
  const pixel_values = await pixelValues(name);
  const labels = (await hfReference(name)).labels as number[];
  const before = model.weights.map((weight) => weight.variable.dataSync().slice());
  // minimize without a variable list: tfjs takes every trainable variable there is.
  tf.dispose(tf.train.sgd(0.1).minimize(() => crossEntropy(model.forward({ pixel_values }).logits!, labels), true) ?? []);
  for (const bias of biases) expect(Array.from(bias.read().dataSync()).every((value) => value === 0), bias.originalName).toBe(true);
  expect(model.weights.some((weight, i) => weight.variable.dataSync().some((value, j) => value !== before[i]![j]))).toBe(true); // the rest trained
  pixel_values.dispose();
  model.dispose();
});

it('pixel_values of the wrong size or layout is an error naming the expected shape', async () => {
  await tf.setBackend('cpu');
  const model = await fromPretrained<ViTForImageClassification>(source(), { onWarning: () => undefined });
  const wrong = tf.zeros([1, 3, 32, 32]) as tf.Tensor4D;
  const channelsLast = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
  expect(() => model.forward({ pixel_values: wrong })).toThrow(/ViTForImageClassification\.forward: pixel_values must be a \(batch, 3, 16, 16\) tensor .*; got shape \[1, 3, 32, 32\]/);
  expect(() => model.forward({ pixel_values: channelsLast })).toThrow(/got shape \[1, 16, 16, 3\]/);
  tf.dispose([wrong, channelsLast]);
  model.dispose();
});
