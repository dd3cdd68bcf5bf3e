import { SeededRandom } from '@heed/training';

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
  /** `count × height × width × 1` pixels in [0, 1], image after image. */
  images: Float32Array;
  /** The class (digit) of each image. */
  labels: Int32Array;
  /** Index of each image among the images of its class in the source file order (traceability). */
  sources: Int32Array;
  count: number;
  shape: [count: number, height: number, width: number, channels: number];
}

/** A train/test image split. */
export interface ImageSplit {
  train: ImageSet;
  test: ImageSet;
}

/**
 * The per-class test count of heed's stratified image splits: `n − round(0.8 · n)` for a class
 * with n images.
 *
 * @example
 * ```ts
 * stratifiedTestCount(863); // 173
 * ```
 */
export function stratifiedTestCount(images: number): number {
  return images - Math.round(0.8 * images);
}

/**
 * Whether image `index` (0-based, file order) of a class with `images` images is in the test
 * split: test images are spread evenly over the file, `floor((i+1)·t/n) > floor(i·t/n)` with
 * `t = stratifiedTestCount(n)`.
 *
 * @example
 * ```ts
 * stratifiedIsTest(4, 5); // true: one test image out of 5, the last
 * ```
 */
export function stratifiedIsTest(index: number, images: number): boolean {
  const test = stratifiedTestCount(images);
  return Math.floor(((index + 1) * test) / images) > Math.floor((index * test) / images);
}

/**
 * Splits per-class image arrays 80/20 (`stratifiedIsTest`) and shuffles each split with a fixed
 * permutation (mulberry32, seed 0). `classes[c]` holds class c's images, `height × width` pixels
 * in [0, 1] each; errors name `name[c][i]`.
 */
export function stratifiedImageSplit(classes: ReadonlyArray<ArrayLike<number>>, height: number, width: number, name: string): ImageSplit {
  const pixelsPerImage = height * width;
  const picks: Record<'train' | 'test', Array<[label: number, index: number]>> = { train: [], test: [] };
  classes.forEach((pixels, label) => {
    if (pixels.length % pixelsPerImage !== 0) {
      throw new RangeError(`${name}[${label}] must hold whole ${height}×${width} images (a multiple of ${pixelsPerImage} values); got ${pixels.length} values`);
    }
    const images = pixels.length / pixelsPerImage;
    for (let index = 0; index < images; index++) picks[stratifiedIsTest(index, images) ? 'test' : 'train'].push([label, index]);
  });
  const build = (list: Array<[number, number]>): ImageSet => {
    const random = new SeededRandom(0);
    for (let index = list.length - 1; index > 0; index--) {
      const other = random.int(index + 1);
      [list[index], list[other]] = [list[other]!, list[index]!];
    }
    const images = new Float32Array(list.length * pixelsPerImage);
    const labels = new Int32Array(list.length);
    const sources = new Int32Array(list.length);
    list.forEach(([label, index], row) => {
      const pixels = classes[label]!;
      for (let pixel = 0; pixel < pixelsPerImage; pixel++) {
        const value = Number(pixels[index * pixelsPerImage + pixel]);
        if (!(value >= 0 && value <= 1)) {
          throw new RangeError(`${name}[${label}][${index * pixelsPerImage + pixel}] (image ${index}) must be a pixel in [0, 1]; got ${value}`);
        }
        images[row * pixelsPerImage + pixel] = value;
      }
      labels[row] = label;
      sources[row] = index;
    });
    return { images, labels, sources, count: list.length, shape: [list.length, height, width, 1] };
  };
  return { train: build(picks.train), test: build(picks.test) };
}
