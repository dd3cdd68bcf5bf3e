import { mnistDataset } from '@heed/models';
import { loadMnistNode } from '@heed/models/node';
import { describe, expect, it } from 'vitest';
import { EmptyDrawingError, inkOfRgba, preprocessDigit } from './preprocess-digit';

/** An MNIST image (28×28, [0, 1]) upscaled ×10 as a canvas would hold it: black ink on white, RGBA. */
function paintUpscaled(image: Float32Array, factor = 10): Uint8ClampedArray {
  const side = 28 * factor;
  const rgba = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const gray = Math.round(255 * (1 - image[Math.floor(y / factor) * 28 + Math.floor(x / factor)]!));
      rgba.set([gray, gray, gray, 255], (y * side + x) * 4);
    }
  }
  return rgba;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < n; i++) [meanA, meanB] = [meanA + a[i]! / n, meanB + b[i]! / n];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i]! - meanA) * (b[i]! - meanB);
    aa += (a[i]! - meanA) ** 2;
    bb += (b[i]! - meanB) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('preprocessDigit (MNIST-style)', () => {
  it('reads ink as 1 − luminance, transparent as paper', () => {
    expect(Array.from(inkOfRgba([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0], 3, 1))).toEqual([1, 0, 0]);
  });

  it('refuses an empty drawing', () => {
    expect(() => preprocessDigit(new Float32Array(100 * 100), 100, 100)).toThrow(EmptyDrawingError);
    expect(() => preprocessDigit(new Float32Array(100 * 100).fill(0.04), 100, 100)).toThrow('Nothing is drawn');
  });

  it('scales the bounding box to 20 pixels on its longer side, keeping the aspect, and centers the mass', () => {
    // A solid 100×50 bar at (30, 200) of a 280×280 canvas → a 20×10 block of ones whose center of
    // mass (9.5, 4.5) moves to (14, 14): offset round(4.5) = 5 across, round(9.5) = 10 down.
    const ink = new Float32Array(280 * 280);
    for (let y = 200; y < 250; y++) ink.fill(1, y * 280 + 30, y * 280 + 130);
    const { pixels, box } = preprocessDigit(ink, 280, 280);
    expect(box).toEqual({ x: 30, y: 200, width: 100, height: 50 });
    const expected = new Float32Array(28 * 28);
    for (let y = 10; y < 20; y++) expected.fill(1, y * 28 + 5, y * 28 + 25);
    expect(Array.from(pixels)).toEqual(Array.from(expected));
  });

  it('averages the area each output pixel covers', () => {
    // A 40×40 checkerboard of 1-pixel squares → uniform 0.5 at 20×20.
    const ink = new Float32Array(40 * 40).map((_, index) => ((index % 40) + Math.floor(index / 40)) % 2);
    const { pixels } = preprocessDigit(ink, 40, 40);
    expect(pixels[10 * 28 + 10]).toBeCloseTo(0.5, 6);
    expect(pixels.reduce((sum, value) => sum + value, 0)).toBeCloseTo(200, 4);
  });

  it('gives back MNIST test digits drawn at 10× on a canvas (MNIST was normalized the same way)', async () => {
    const { test } = mnistDataset(await loadMnistNode());
    const exact: number[] = [];
    const correlations: number[] = [];
    for (let index = 0; index < 100; index++) {
      const image = test.images.subarray(index * 784, (index + 1) * 784);
      const { pixels } = preprocessDigit(inkOfRgba(paintUpscaled(image), 280, 280), 280, 280);
      // Same box, same center of mass: the original pixels come back, up to the canvas' 8-bit gray.
      const worst = Math.max(...pixels.map((value, pixel) => Math.abs(value - image[pixel]!)));
      if (worst <= 1 / 255 + 1e-6) exact.push(index);
      correlations.push(correlation(pixels, image));
    }
    // Measured: 93 of 100 within 1/255, the rest off by a rounding step; every correlation ≥ 0.9999.
    expect(exact.length).toBeGreaterThanOrEqual(90);
    expect(Math.min(...correlations)).toBeGreaterThan(0.999);
  });
});
