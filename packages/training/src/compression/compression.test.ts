import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../__fixtures__/float16.json';
import { toFloat16Bits } from './float16';
import { quantizeWeights } from './quantize-weights';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('float16', () => {
  it('rounds exactly as numpy astype(float16), decoded by tfjs', async () => {
    const tensor = tf.tensor1d(reference.float32);
    const { weightSpecs, weightData } = await quantizeWeights({ values: tensor }, 'float16');
    expect(weightData.byteLength).toBe(2 * reference.float32.length);
    const decoded = tf.io.decodeWeights(weightData, weightSpecs).values!;
    expect(Array.from(await decoded.data())).toEqual(reference.float16);
    tf.dispose([tensor, decoded]);
  });

  it('handles the edges by hand: overflow, NaN, signed zero', () => {
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
  });
});

describe('uint8 affine quantization', () => {
  it('keeps every value within scale/2, zero exact, and a constant tensor exact', async () => {
    const values = Array.from({ length: 200 }, (_, index) => Math.sin(index) * 3 - 0.5);
    values[17] = 0;
    const weights = { kernel: tf.tensor2d(values, [20, 10]), bias: tf.fill([4], 0.25), steps: tf.tensor1d([3, 4], 'int32') };
    const { weightSpecs, weightData } = await quantizeWeights(weights, 'uint8');
    expect(weightData.byteLength).toBe(200 + 4 + 8);
    const spec = weightSpecs[0]!.quantization!;
    const decoded = tf.io.decodeWeights(weightData, weightSpecs);
    const kernel = await decoded.kernel!.data();
    const worst = Math.max(...values.map((value, index) => Math.abs(value - kernel[index]!)));
    expect(worst).toBeLessThanOrEqual(spec.scale! / 2 + 1e-6);
    expect(spec.scale).toBeCloseTo((Math.max(...values) - Math.min(...values)) / 255, 6);
    expect(kernel[17]).toBe(0);
    expect(Array.from(await decoded.bias!.data())).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(await decoded.steps!.data())).toEqual([3, 4]);
    tf.dispose([weights, decoded]);
  });

  it('rejects an unknown format by name', async () => {
    await expect(quantizeWeights({}, 'int4' as never)).rejects.toThrow('quantization must be "float16" or "uint8", got "int4"');
  });
});
