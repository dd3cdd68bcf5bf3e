import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { fromPretrained } from '../from-pretrained';
import type { HfModelOutput, HfTextInputs } from '../hf-model';
import type { HfPretrainedModel } from '../hf-pretrained-model';
import { openSafetensorsNode } from '../safetensors/safetensors-node';
import { folderSource } from '../sources/folder-source-node';

/** Test support: the PyTorch-written checkpoints of make_hf_fixtures.py and their references. */
export const HF_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

export interface Recorded { data: number[]; shape: number[] }
export interface HfReference {
  inputs: Record<string, number[][]>;
  outputs: { last_hidden_state: Recorded; pooler_output?: Recorded; logits?: Recorded; hidden_states: Recorded[]; attentions: Recorded[] };
  labels?: number[] | number[][];
  loss?: number;
}

export async function hfReference(name: string): Promise<HfReference> {
  return (await import(join(HF_FIXTURES, name, 'reference.json'), { with: { type: 'json' } })).default as HfReference;
}

/** The reference inputs as int32 tensors (the caller disposes them). */
export function textInputs(reference: HfReference): HfTextInputs {
  const { input_ids, attention_mask, token_type_ids } = reference.inputs;
  return {
    input_ids: tf.tensor2d(input_ids!, undefined, 'int32'),
    ...(attention_mask ? { attention_mask: tf.tensor2d(attention_mask, undefined, 'int32') } : {}),
    ...(token_type_ids ? { token_type_ids: tf.tensor2d(token_type_ids, undefined, 'int32') } : {}),
  };
}

export function disposeInputs(inputs: HfTextInputs): void {
  for (const tensor of Object.values(inputs) as tf.Tensor[]) tensor.dispose();
}

/** Every output the reference has (attentions only when `output` has them) equals PyTorch within `atol`. */
export async function expectOutputsClose(output: HfModelOutput, reference: HfReference, atol: number): Promise<void> {
  const pairs: [string, tf.Tensor | undefined, Recorded | undefined][] = [
    ['last_hidden_state', output.last_hidden_state, reference.outputs.last_hidden_state],
    ['pooler_output', output.pooler_output, reference.outputs.pooler_output],
    ['logits', output.logits, reference.outputs.logits],
    ...(output.hidden_states ?? []).map((state, i): [string, tf.Tensor, Recorded | undefined] => [`hidden_states[${i}]`, state, reference.outputs.hidden_states[i]]),
    ...(output.attentions ?? []).map((weights, i): [string, tf.Tensor, Recorded | undefined] => [`attentions[${i}]`, weights, reference.outputs.attentions[i]]),
  ];
  if (output.hidden_states) expect(output.hidden_states.length).toBe(reference.outputs.hidden_states.length);
  if (output.attentions) expect(output.attentions.length).toBe(reference.outputs.attentions.length);
  for (const [name, actual, expected] of pairs) {
    expect(actual === undefined, `${name} present in heed's output`).toBe(expected === undefined);
    if (!actual || !expected) continue;
    expect(actual.shape, name).toEqual(expected.shape);
    await expectClose(await actual.data(), expected.data, { atol, rtol: 0, label: name });
  }
}

/** The tensors of a safetensors file by name. */
export async function readSafetensors(path: string): Promise<Map<string, { shape: readonly number[]; data: Float32Array }>> {
  const reader = await openSafetensorsNode(path);
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for await (const tensor of reader.tensors({ skipIntegers: true })) out.set(tensor.name, { shape: tensor.shape, data: tensor.data as Float32Array });
  await reader.close();
  return out;
}

/**
 * One eval-mode step's gradients of `loss(output)` for every trainable weight, in the HF layout
 * under HF names (as gradients.safetensors holds PyTorch's).
 */
export async function hfGradients(model: HfPretrainedModel, inputs: HfTextInputs, loss: (output: HfModelOutput) => tf.Scalar): Promise<{ value: number; grads: Map<string, Float32Array> }> {
  const trainable = model.parameters.all.filter((parameter) => parameter.trainable);
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => loss(model.forward(inputs))), trainable.map((parameter) => parameter.variable));
  const out = new Map<string, Float32Array>();
  for (const parameter of trainable) {
    const grad = grads[parameter.variable.name]!;
    out.set(parameter.name, model.parameters.toHfLayout(parameter.name, (await grad.data()) as Float32Array));
  }
  const loss0 = (await value.data())[0]!;
  value.dispose();
  for (const grad of Object.values(grads)) grad.dispose();
  return { value: loss0, grads: out };
}

/** Mean cross-entropy of `logits (…, classes)` against integer `labels`, skipping -100 (PyTorch's ignore_index). */
export function crossEntropy(logits: tf.Tensor, labels: number[]): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1]!;
    const flat = logits.reshape([-1, classes]); // (n, classes)
    const keep = labels.map((label): number => (label === -100 ? 0 : 1));
    const targets = tf.oneHot(tf.tensor1d(labels.map((label) => (label === -100 ? 0 : label)), 'int32'), classes); // (n, classes)
    const perRow = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(flat)), -1)); // (n,)
    return tf.div(tf.sum(tf.mul(perRow, tf.tensor1d(keep))), keep.reduce((a, b) => a + b, 0)) as tf.Scalar;
  });
}

/** The loss make_hf_fixtures.py backpropagated: cross-entropy over the labels (-100 skipped). */
export function referenceLoss(reference: HfReference): (output: HfModelOutput) => tf.Scalar {
  const labels = (reference.labels as (number | number[])[]).flat();
  return ({ logits }) => crossEntropy(logits!, labels);
}

/**
 * The parity suite of PyTorch-written fixtures, on every backend: each fixture's outputs, hidden
 * states (and attentions, where the encoder block returns them) within 1e-5 of PyTorch with no
 * leaks, and one eval-mode step's loss and every gradient within 1e-4.
 */
export async function describeFixtureParity(fixtures: readonly { name: string; architecture: string; gradients?: boolean }[], attentions: boolean): Promise<void> {
  await describeBackends(TEST_BACKENDS, () => {
    for (const { name, architecture, gradients = true } of fixtures) {
      it(`${name}: ${architecture} outputs, hidden states${attentions ? ' and attentions' : ''} equal PyTorch (1e-5), no leaks`, async () => {
        const reference = await hfReference(name);
        const model = await fromPretrained<HfPretrainedModel>(folderSource(join(HF_FIXTURES, name)), { onWarning: () => undefined });
        expect(model.architecture).toBe(architecture);
        const inputs = textInputs(reference);
        let output: HfModelOutput | undefined;
        await expectNoLeaks(() => outputTensors((output = model.forward(inputs, { outputHiddenStates: true, outputAttentions: attentions }))), `${architecture}.forward`);
        await expectOutputsClose(output!, reference, 1e-5);
        tf.dispose(outputTensors(output!));
        disposeInputs(inputs);
        model.dispose();
      });

      if (!gradients) continue;
      it(`${name}: one eval-mode step's loss and every gradient equal PyTorch (1e-4)`, async () => {
        const reference = await hfReference(name);
        const model = await fromPretrained<HfPretrainedModel>(folderSource(join(HF_FIXTURES, name)), { onWarning: () => undefined });
        const inputs = textInputs(reference);
        const before = tf.memory().numTensors;
        const { value, grads } = await hfGradients(model, inputs, referenceLoss(reference));
        expect(tf.memory().numTensors).toBe(before);
        expect(value).toBeCloseTo(reference.loss!, 5);
        const expected = await readSafetensors(join(HF_FIXTURES, name, 'gradients.safetensors'));
        expect([...grads.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [tensor, gradient] of grads) await expectClose(gradient, expected.get(tensor)!.data, { atol: 1e-4, rtol: 0, label: tensor });
        disposeInputs(inputs);
        model.dispose();
      });
    }
  });
}

/** Every tensor of an output (for leak checks and disposal). */
export function outputTensors(output: HfModelOutput): tf.Tensor[] {
  return Object.values(output).flatMap((value: tf.Tensor | tf.Tensor[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
}
