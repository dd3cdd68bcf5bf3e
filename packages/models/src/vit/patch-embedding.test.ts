import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { extractPatches, PatchEmbedding } from './patch-embedding';

/** Independent reference: patch (r, c) of image b, flattened as (row in patch, column in patch, channel), by loops. */
function referencePatches(values: Float32Array, [batch, height, width, channels]: number[], p: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < batch!; b++)
    for (let r = 0; r < height! / p; r++)
      for (let c = 0; c < width! / p; c++)
        for (let y = 0; y < p; y++)
          for (let x = 0; x < p; x++)
            for (let k = 0; k < channels!; k++) out.push(values[((b * height! + r * p + y) * width! + c * p + x) * channels! + k]!);
  return out;
}

await describeBackends(TEST_BACKENDS, () => {
  it('cuts images into row-major patches equal to a loop reference (non-square, 3 channels)', async () => {
    const shape = [2, 6, 9, 3];
    const images = tf.randomUniform(shape, 0, 1, 'float32', 1);
    const patches = extractPatches(images, 3);
    expect(patches.shape).toEqual([2, 6, 27]);
    await expectClose(await patches.data(), referencePatches((await images.data()) as Float32Array, shape, 3), { atol: 0 });
    tf.dispose([images, patches]);
  });

  it('embeds each patch as patch · kernel + bias', async () => {
    const embed = new PatchEmbedding({ patchSize: 2, dim: 5 });
    const images = tf.randomUniform([1, 4, 4, 1], 0, 1, 'float32', 2);
    const output = embed.apply(images) as tf.Tensor;
    expect(output.shape).toEqual([1, 4, 5]);
    const [kernel, bias] = embed.getWeights();
    const patches = referencePatches((await images.data()) as Float32Array, [1, 4, 4, 1], 2);
    const kernelValues = await kernel!.data();
    const biasValues = await bias!.data();
    const expected: number[] = [];
    for (let patch = 0; patch < 4; patch++)
      for (let unit = 0; unit < 5; unit++) {
        let sum = biasValues[unit]!;
        for (let feature = 0; feature < 4; feature++) sum += patches[patch * 4 + feature]! * kernelValues[feature * 5 + unit]!;
        expected.push(sum);
      }
    await expectClose(await output.data(), expected, { atol: 1e-5 });
    await expectNoLeaks(() => tf.tidy(() => embed.apply(images) as tf.Tensor), 'patch embedding');
    tf.dispose([images, output]);
    embed.dispose();
  });

  it('names the shapes when the image size is not divisible by the patch size', () => {
    const images = tf.zeros([1, 10, 10, 1]);
    expect(() => extractPatches(images, 4)).toThrow(/image size 10×10 \(shape \[1,10,10,1\]\) is not divisible by patchSize 4/);
    expect(() => new PatchEmbedding({ patchSize: 4, dim: 8 }).apply(images)).toThrow(/not divisible by patchSize 4/);
    images.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; the ops are plain reshape/transpose/matMul covered on cpu and wasm' } });
