import { readPackageJson, type NodePackageOptions } from '../node-package-file';

/**
 * Reads the ten digit arrays (`src/digits/<d>.json`, 10,000 images in all) of the installed
 * `mnist` 1.1.0 package, for {@link mnistDataset}. Node only: import it from `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { mnistDataset } from '@heed/models';
 * import { loadMnistNode } from '@heed/models/node';
 * const data = mnistDataset(await loadMnistNode());
 * ```
 */
export async function loadMnistNode(options: NodePackageOptions = {}): Promise<number[][]> {
  const files = await Promise.all(
    Array.from({ length: 10 }, (_, digit) => readPackageJson<{ data: number[] }>('mnist', `src/digits/${digit}.json`, options)),
  );
  return files.map((file) => file.data);
}
