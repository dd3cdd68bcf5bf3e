import { stratifiedImageSplit, type ImageSplit } from '../images/stratified-image-split';

/**
 * Builds a fixed split of scikit-learn's 8×8 digits (UCI optical recognition of handwritten
 * digits, 1,797 images) from the text of its `digits.csv` (64 pixel values 0-16 and the label
 * per row; `loadSklearnDigitsNode()` from `@heed/models/node` reads Debian's gzipped copy).
 * Pixels are divided by 16; per digit 80/20 with the same rule as MNIST (`stratifiedIsTest`, in
 * file order), each split shuffled with a fixed permutation. Shapes are `[N, 8, 8, 1]`.
 * Browser-safe.
 *
 * @example
 * ```ts
 * import { sklearnDigitsDataset } from '@heed/models';
 * import { loadSklearnDigitsNode } from '@heed/models/node';
 * const { train, test } = sklearnDigitsDataset(await loadSklearnDigitsNode());
 * train.shape; // [1438, 8, 8, 1]
 * ```
 */
export function sklearnDigitsDataset(csv: string): ImageSplit {
  if (typeof csv !== 'string') throw new TypeError(`sklearnDigitsDataset: csv must be the text of digits.csv; got ${typeof csv}`);
  const classes: number[][] = Array.from({ length: 10 }, () => []);
  csv.split(/\r?\n/).forEach((line, row) => {
    if (line.trim() === '') return;
    const values = line.split(',').map(Number);
    const label = values[64];
    const valid = values.length === 65 && values.every((value) => Number.isInteger(value) && value >= 0 && value <= 16) && label !== undefined && label <= 9;
    if (!valid) {
      throw new RangeError(`sklearnDigitsDataset: csv line ${row + 1} must be 64 pixels 0-16 and a label 0-9, comma-separated; got ${JSON.stringify(line.slice(0, 80))}`);
    }
    classes[label]!.push(...values.slice(0, 64).map((value) => value / 16));
  });
  return stratifiedImageSplit(classes, 8, 8, 'sklearnDigitsDataset: digit');
}
