import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { VisionTransformer, VitImageClassifier } from './vit-image-classifier';
import type { VisionTransformerConfig } from './vit-config';

const SMALL: VisionTransformerConfig = { imageSize: 8, patchSize: 4, channels: 1, dim: 16, depth: 2, heads: 2, mlpDim: 32, numClasses: 3 };

/** An in-memory tf.io handler pair. */
function memoryStore(): { save: tf.io.IOHandler; load: () => tf.io.IOHandler } {
  let saved: tf.io.ModelArtifacts | undefined;
  return {
    save: tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    load: () => tf.io.fromMemory(saved!),
  };
}

/** Four classes of 8×8 images on noise: horizontal stripes, vertical stripes, a checkerboard, none. */
function patternImages(count: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor1D; labels: number[] } {
  const labels = Array.from({ length: count }, (_, index) => index % 4);
  const patterns = [(y: number) => y % 2, (_: number, x: number) => x % 2, (y: number, x: number) => (x + y) % 2, () => 0];
  const values = new Float32Array(count * 64);
  labels.forEach((label, index) => {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) values[index * 64 + y * 8 + x] = 0.6 * patterns[label]!(y, x);
  });
  const x = tf.tidy(() => tf.add(tf.tensor4d(values, [count, 8, 8, 1]), tf.randomUniform([count, 8, 8, 1], 0, 0.4, 'float32', seed)) as tf.Tensor4D);
  return { x, y: tf.tensor1d(labels, 'int32'), labels };
}

await describeBackends(TEST_BACKENDS, () => {
  it('maps (batch, H, W, C) images to (batch, numClasses) logits with cls and mean pooling', () => {
    for (const pool of ['cls', 'mean'] as const) {
      const vit = new VisionTransformer({ ...SMALL, imageSize: [8, 12], pool });
      const logits = vit.predict(tf.zeros([3, 8, 12, 1]));
      expect(logits.shape).toEqual([3, 3]);
      expect(vit.countParams()).toBe(vit.model.countParams());
      expect(vit.model.layers.some((layer) => layer.getClassName() === 'HeedClassToken')).toBe(pool === 'cls');
      logits.dispose();
      vit.dispose();
    }
    const vit = new VisionTransformer(SMALL);
    expect(vit).toBeInstanceOf(VitImageClassifier); // the name before the family split is the same class
    const single = vit.predict(tf.zeros([8, 8, 1]));
    expect(single.shape).toEqual([1, 3]);
    single.dispose();
    vit.dispose();
  });

  it('returns per layer/head class-token attention over the patches and a rollout summing to 1', async () => {
    const vit = new VisionTransformer({ ...SMALL, imageSize: 16 });
    const image = tf.randomUniform([16, 16, 1], 0, 1, 'float32', 5);
    const maps = await expectNoLeaks(() => vit.attentionMaps(image), 'attentionMaps');
    expect(maps.grid).toEqual([4, 4]);
    expect(maps.shape).toEqual([2, 2, 17, 17]);
    expect(maps.classAttention).toHaveLength(2);
    expect(maps.classAttention[0]).toHaveLength(2);
    expect(maps.classAttention[1]![1]).toHaveLength(16);
    // The class token's row over all 17 tokens sums to 1, so over the 16 patches it sums to ≤ 1.
    const row = maps.weights.subarray(0, 17);
    expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    expect(maps.classAttention[0]![0]!.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1 - row[0]!, 5);
    expect(maps.rollout.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    // The logits come with the maps and equal predict's.
    const logits = vit.predict(image);
    await expectClose(maps.logits, await logits.data(), { atol: 1e-5 });
    tf.dispose([image, logits]);
    vit.dispose();
  });

  it('saves and loads through tf.io with identical outputs, and round-trips its config as JSON', async () => {
    const vit = new VisionTransformer({ ...SMALL, dropout: 0.1, pool: 'mean' });
    const store = memoryStore();
    await vit.save(store.save);
    const loaded = await VisionTransformer.load(store.load());
    expect(loaded.getConfig()).toEqual(vit.getConfig());
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6);
    const [a, b] = [vit.predict(images), loaded.predict(images)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    const json = JSON.parse(JSON.stringify(vit.getConfig())) as VisionTransformerConfig;
    const rebuilt = VisionTransformer.fromConfig(json);
    expect(rebuilt.getConfig()).toEqual(vit.getConfig());
    expect(rebuilt.countParams()).toBe(vit.countParams());
    tf.dispose([images, a, b]);
    [vit, loaded, rebuilt].forEach((model) => model.dispose());
  });

  it('does not leak tensors in predict, classify or a training step', async () => {
    const vit = new VisionTransformer(SMALL);
    const images = tf.randomUniform([4, 8, 8, 1]);
    const optimizer = tf.train.adam(1e-3);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, vit.model.apply(images, { training: true }) as tf.Tensor), false);
    step(); // creates the optimizer's slots
    await expectNoLeaks(() => {
      vit.predict(images).dispose();
      step();
    }, 'predict + training step');
    await expectNoLeaks(() => vit.classify(images, 3), 'classify');
    await expect(vit.classify(images, 0)).rejects.toThrow('VisionTransformer.classify: batchSize must be a positive integer; got 0');
    tf.dispose([images, labels]);
    optimizer.dispose();
    vit.dispose();
  });

  it('learns a four-class toy task well above chance in a few seconds', async () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, dim: 16, depth: 1, heads: 2, mlpDim: 32, numClasses: 4 });
    const train = patternImages(64, 7);
    const test = patternImages(40, 8);
    const optimizer = tf.train.adam(3e-3);
    const targets = tf.oneHot(train.y, 4);
    for (let step = 0; step < 30; step++) {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(targets, vit.model.apply(train.x, { training: true }) as tf.Tensor), false);
    }
    const predicted = await vit.classify(test.x);
    const accuracy = predicted.filter((label, index) => label === test.labels[index]).length / test.labels.length;
    expect(accuracy).toBeGreaterThan(0.8); // chance: 0.25
    tf.dispose([train.x, train.y, test.x, test.y, targets]);
    optimizer.dispose();
    vit.dispose();
  });

  it('names the shapes of bad configurations and images', async () => {
    expect(() => new VisionTransformer({ ...SMALL, imageSize: 10 })).toThrow(/image size 10×10 is not divisible by patchSize 4/);
    expect(() => new VisionTransformer({ ...SMALL, dim: 10, heads: 4 })).toThrow(/dim 10 is not divisible by heads 4/);
    expect(() => new VisionTransformer({ ...SMALL, depth: 0 })).toThrow(/depth must be a positive integer; got 0/);
    expect(() => new VisionTransformer({ ...SMALL, pool: 'max' as 'cls' })).toThrow(/pool must be 'cls' or 'mean'; got "max"/);
    expect(() => new VisionTransformer({ ...SMALL, dropout: 1 })).toThrow(/dropout must be in \[0, 1\); got 1/);
    const vit = new VisionTransformer(SMALL);
    const wrong = tf.zeros([2, 28, 28, 1]);
    expect(() => vit.predict(wrong)).toThrow(/images must have shape \(batch, 8, 8, 1\) or \(8, 8, 1\); got shape \[2,28,28,1\]/);
    const rgb = tf.zeros([1, 8, 8, 3]);
    expect(() => vit.predict(rgb)).toThrow(/got shape \[1,8,8,3\]/);
    const ints = tf.zeros([1, 8, 8, 1], 'int32');
    expect(() => vit.predict(ints)).toThrow(/must be float32 in \[0, 1\]; got int32/);
    const two = tf.zeros([2, 8, 8, 1]);
    await expect(vit.attentionMaps(two)).rejects.toThrow(/pass one image.*got shape \[2,8,8,1\]/);
    tf.dispose([wrong, rgb, ints, two]);
    vit.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow (training would take minutes); the model is plain tfjs ops covered on cpu and wasm' } });
