// HfImageProcessor against transformers' ViTImageProcessor as scripts/hf/make_image_processor_fixture.py
// runs it with PIL 9 (Debian): every PIL filter, shrinking and enlarging, gray/gray+alpha/RGBA
// inputs, custom rescale and normalisation. Bytes are bit-equal to PIL's resize, so pixel_values
// are equal to the float32 bit.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { expectNoLeaks } from '@heed/backends/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../sources/folder-source-node';
import { HfImageProcessor } from './hf-image-processor';
import { parseHfImageProcessorConfig } from './hf-image-processor-config';
import { loadHfImageProcessor } from './load-hf-image-processor';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__');

interface Case { width: number; height: number; channels: number; config: Record<string, unknown>; data: number[]; shape: number[]; pixel_values: number[] }
const { cases } = (await import(join(fixtures, 'vit-image-processor.json'), { with: { type: 'json' } })).default as { cases: Case[] };

describe('HfImageProcessor (ViTImageProcessor)', () => {
  it.each(cases.map((example, index) => [index, `${example.width}×${example.height}×${example.channels} → ${JSON.stringify(example.config)}`, example] as const))(
    'case %i: %s equals PIL + transformers exactly',
    (_, __, example) => {
      const processor = new HfImageProcessor(parseHfImageProcessorConfig(example.config));
      expect(processor.shape).toEqual(example.shape);
      const got = processor.preprocessToArray({ width: example.width, height: example.height, channels: example.channels, data: Uint8Array.from(example.data) });
      const expected = Float32Array.from(example.pixel_values);
      let mismatches = 0;
      for (let index = 0; index < expected.length; index++) if (got[index] !== expected[index]) mismatches++;
      expect(mismatches).toBe(0);
    },
  );

  it('floats in [0, 1] read as their bytes; a batch tensor is (batch, 3, height, width) without leaks', async () => {
    await tf.setBackend('cpu');
    const example = cases[0]!;
    const processor = new HfImageProcessor(parseHfImageProcessorConfig(example.config));
    const floats = Float32Array.from(example.data, (value) => value / 255);
    expect(processor.preprocessToArray({ width: example.width, height: example.height, data: floats })).toEqual(Float32Array.from(example.pixel_values));
    await expectNoLeaks(async () => {
      const batch = processor.preprocess([{ width: example.width, height: example.height, data: Uint8Array.from(example.data) }, { width: 16, height: 16, data: new Uint8Array(16 * 16 * 4) }]);
      expect(batch.shape).toEqual([2, 3, 16, 16]);
      expect(Array.from((await batch.data()).slice(0, 4))).toEqual(example.pixel_values.slice(0, 4).map(Math.fround));
      batch.dispose();
    });
  });

  it('bad input names the image, the expected and the actual value', () => {
    const processor = new HfImageProcessor(parseHfImageProcessorConfig({ size: { height: 16, width: 16 }, do_resize: false }));
    expect(() => processor.preprocessToArray({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) })).toThrow(/image: expected 16×16 pixels \(preprocessor_config\.json size, do_resize false\); got 8×8/);
    expect(() => processor.preprocessToArray({ width: 16, height: 16, data: new Uint8Array(100) })).toThrow(/image\.data: expected 16×16×channels values \(channels 1, 2, 3 or 4\); got 100 values/);
    expect(() => processor.preprocessToArray({ width: 1, height: 1, data: [0.5, 2, 0] })).toThrow(/image\.data\[1\]: float pixel values must be in \[0, 1\]; got 2/);
    expect(() => parseHfImageProcessorConfig({ image_processor_type: 'CLIPImageProcessor' })).toThrow(/image_processor_type: "CLIPImageProcessor" is not supported/);
    expect(() => parseHfImageProcessorConfig({ size: { shortest_edge: 224 } })).toThrow(/size\.shortest_edge: is not supported/);
    expect(() => parseHfImageProcessorConfig({ image_std: [0.5, 0, 0.5] })).toThrow(/image_std\.1: must not be 0/);
    expect(() => parseHfImageProcessorConfig({ resample: 7 })).toThrow(/resample: expected a PIL filter/);
  });
});

describe('loadHfImageProcessor', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'heed-hf-image-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the ViT fixture checkpoint\'s preprocessor_config.json and checks it against image_size', async () => {
    const processor = await loadHfImageProcessor(folderSource(join(fixtures, 'vit-image-cls-f32')), { imageSize: 16 });
    expect(processor.config).toMatchObject({ size: { height: 16, width: 16 }, resample: 2, image_mean: [0.5, 0.5, 0.5] });
    await expect(loadHfImageProcessor(folderSource(join(fixtures, 'vit-image-cls-f32')), { imageSize: 32 })).rejects.toThrow(
      /vit-image-cls-f32\/preprocessor_config\.json size: the model \(config\.json image_size\) takes 32×32 images; the preprocessor makes 16×16/,
    );
  });

  it('without preprocessor_config.json: the defaults at the model\'s size, with a warning', async () => {
    await writeFile(join(folder, 'config.json'), '{}');
    const warnings: string[] = [];
    const processor = await loadHfImageProcessor(folderSource(folder), { imageSize: 32, onWarning: (message) => warnings.push(message) });
    expect(processor.shape).toEqual([3, 32, 32]);
    expect(warnings).toEqual([`${folder}/preprocessor_config.json is missing: using ViTImageProcessor's defaults (resize to 32×32 bilinear, rescale 1/255, mean = std = 0.5)`]);
  });
});
