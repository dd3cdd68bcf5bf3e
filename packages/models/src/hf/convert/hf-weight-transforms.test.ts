import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { extractPatches } from '../../index';
import { openSafetensorsNode } from '../safetensors/safetensors-node';
import { channelsFirstToLast, conv2dToPatchKernel, linearToKernel, patchKernelToConv2d } from './hf-weight-transforms';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');
interface Recorded { data: number[]; shape: number[] }
const reference = async (name: string) =>
  (await import(join(fixtures, name, 'reference.json'), { with: { type: 'json' } })).default as { inputs: Record<string, unknown>; outputs: { hidden_states: Recorded[] } };

async function weights(name: string): Promise<Map<string, { shape: readonly number[]; data: Float32Array }>> {
  const reader = await openSafetensorsNode(join(fixtures, name));
  const out = new Map<string, { shape: readonly number[]; data: Float32Array }>();
  for await (const tensor of reader.tensors({ skipIntegers: true })) out.set(tensor.name, { shape: tensor.shape, data: tensor.data as Float32Array });
  await reader.close();
  return out;
}

it('transposes Linear weights and reorders Conv2d kernels, both ways', () => {
  expect(Array.from(linearToKernel(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]))).toEqual([1, 4, 2, 5, 3, 6]);
  const conv = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
  expect(Array.from(patchKernelToConv2d(conv2dToPatchKernel(conv, [2, 3, 2, 2]), [2, 3, 2, 2]))).toEqual(Array.from(conv));
  // Row (y=0, x=1, c=2) of the kernel holds weight[o, 2, 0, 1] for o = 0, 1.
  const kernel = conv2dToPatchKernel(conv, [2, 3, 2, 2]);
  expect([kernel[(1 * 3 + 2) * 2], kernel[(1 * 3 + 2) * 2 + 1]]).toEqual([conv[(0 * 3 + 2) * 4 + 1], conv[(1 * 3 + 2) * 4 + 1]]);
  expect(() => linearToKernel(new Float32Array(5), [2, 3])).toThrow(/shape \[2, 3\] has 6 elements but data has 5/);
});

await describeBackends(TEST_BACKENDS, () => {
  it('ViT embeddings from the converted Conv2d kernel equal PyTorch (hidden_states[0])', async () => {
    const ref = await reference('vit-image-cls-f32');
    const tensors = await weights('vit-image-cls-f32');
    const projection = tensors.get('vit.embeddings.patch_embeddings.projection.weight')!;
    const pixels = Float32Array.from((ref.inputs.pixel_values as number[][][][]).flat(3));
    const embed = () => tf.tidy(() => {
      const images = tf.tensor4d(channelsFirstToLast(pixels, [2, 3, 16, 16]), [2, 16, 16, 3]); // (batch, height, width, channels)
      const patches = extractPatches(images, 4); // (batch, 16, 48)
      const kernel = tf.tensor2d(conv2dToPatchKernel(projection.data, projection.shape), [48, 24]);
      const projected = tf.add(tf.matMul(patches.reshape([32, 48]), kernel), tf.tensor1d(tensors.get('vit.embeddings.patch_embeddings.projection.bias')!.data)).reshape([2, 16, 24]);
      const cls = tf.tile(tf.tensor3d(tensors.get('vit.embeddings.cls_token')!.data, [1, 1, 24]), [2, 1, 1]);
      return tf.add(tf.concat([cls, projected], 1), tf.tensor3d(tensors.get('vit.embeddings.position_embeddings')!.data, [1, 17, 24])); // (batch, 17, hidden)
    });
    const tokens = await expectNoLeaks(embed, 'ViT embeddings');
    expect(tokens.shape).toEqual(ref.outputs.hidden_states[0]!.shape);
    await expectClose(await tokens.data(), ref.outputs.hidden_states[0]!.data, { atol: 2e-5 });
    tokens.dispose();
  });

  it('BERT embeddings (word + position + token type, LayerNorm eps 1e-12) equal PyTorch (hidden_states[0])', async () => {
    const ref = await reference('bert-seq-cls-f32');
    const tensors = await weights('bert-seq-cls-f32');
    const ids = ref.inputs.input_ids as number[][];
    const types = ref.inputs.token_type_ids as number[][];
    const time = ids[0]!.length;
    const table = (name: string) => tf.tensor2d(tensors.get(name)!.data, tensors.get(name)!.shape as [number, number]);
    const embedded = tf.tidy(() => {
      const words = tf.gather(table('bert.embeddings.word_embeddings.weight'), tf.tensor2d(ids, undefined, 'int32')); // (batch, time, hidden)
      const segments = tf.gather(table('bert.embeddings.token_type_embeddings.weight'), tf.tensor2d(types, undefined, 'int32')); // (batch, time, hidden)
      const positions = tf.gather(table('bert.embeddings.position_embeddings.weight'), tf.range(0, time, 1, 'int32')).expandDims(0); // (1, time, hidden)
      const sum = tf.add(tf.add(words, segments), positions); // (batch, time, hidden)
      const { mean, variance } = tf.moments(sum, -1, true);
      const normalized = tf.div(tf.sub(sum, mean), tf.sqrt(tf.add(variance, 1e-12)));
      return tf.add(tf.mul(normalized, tf.tensor1d(tensors.get('bert.embeddings.LayerNorm.weight')!.data)), tf.tensor1d(tensors.get('bert.embeddings.LayerNorm.bias')!.data));
    });
    expect(embedded.shape).toEqual(ref.outputs.hidden_states[0]!.shape);
    await expectClose(await embedded.data(), ref.outputs.hidden_states[0]!.data, { atol: 2e-5 });
    embedded.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; gather/matMul/moments are covered on cpu and wasm' } });
