import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/**
 * Where Debian's python3-sklearn package installs the 8×8 digits.
 *
 * @example
 * ```ts
 * await loadSklearnDigitsNode(DEBIAN_SKLEARN_DIGITS); // the default path
 * ```
 */
export const DEBIAN_SKLEARN_DIGITS = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';

/**
 * Reads scikit-learn's `digits.csv.gz` (default: Debian's python3-sklearn copy) and returns its
 * CSV text, for `sklearnDigitsDataset`. Errors name the path. Node only: import it from
 * `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { sklearnDigitsDataset } from '@heed/models';
 * import { loadSklearnDigitsNode } from '@heed/models/node';
 * const data = sklearnDigitsDataset(await loadSklearnDigitsNode());
 * ```
 */
export async function loadSklearnDigitsNode(path: string = DEBIAN_SKLEARN_DIGITS): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new Error(`loadSklearnDigitsNode: cannot read ${path} (install python3-sklearn on Debian, or pass the path of scikit-learn's datasets/data/digits.csv.gz)`, { cause });
  }
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}
