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
const source = () => folderSource(join(HF_FIXTURES, NAME));

async function pixelValues(): Promise<tf.Tensor4D> {
  const reference = await hfReference(NAME);
  return tf.tensor4d(reference.inputs.pixel_values as unknown as number[][][][]);
}

await describeBackends(TEST_BACKENDS, () => {
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
    const reference = await hfReference(NAME);
    const model = await fromPretrained<ViTForImageClassification>(source(), { onWarning: () => undefined });
    const pixel_values = await pixelValues();
    const before = tf.memory().numTensors;
    const labels = reference.labels as number[];
    const { value, grads } = await hfGradients(model, { pixel_values } as never, ({ logits }) => crossEntropy(logits!, labels));
    expect(tf.memory().numTensors).toBe(before);
    expect(value).toBeCloseTo(reference.loss!, 5);
    const expected = await readSafetensors(join(HF_FIXTURES, NAME, 'gradients.safetensors'));
    expect([...grads.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [tensor, gradient] of grads) await expectClose(gradient, expected.get(tensor)!.data, { atol: 1e-4, rtol: 0, label: tensor });
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
