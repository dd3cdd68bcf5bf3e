import type { Split } from './dataset-split';

/**
 * A dataset cut into heed's three fixed splits (see {@link splitOf}).
 *
 * @example
 * ```ts
 * const data: SplitDataset<{ text: string }> = { train: [{ text: 'hi' }], validation: [], test: [] };
 * data.train.length; // 1
 * ```
 */
export type SplitDataset<T> = Record<Split, T[]>;

/**
 * Groups `items` into train/validation/test by a split function, keeping their order.
 *
 * @example
 * ```ts
 * const data = groupBySplit(['a', 'b', 'c'], (word) => splitOf(word));
 * data.train.length + data.validation.length + data.test.length; // 3
 * ```
 */
export function groupBySplit<T>(items: Iterable<T>, splitOfItem: (item: T) => Split): SplitDataset<T> {
  const out: SplitDataset<T> = { train: [], validation: [], test: [] };
  for (const item of items) out[splitOfItem(item)].push(item);
  return out;
}
