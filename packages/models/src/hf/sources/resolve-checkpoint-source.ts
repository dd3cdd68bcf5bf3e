import type { CheckpointSource } from './checkpoint-source';
import { urlSource, type UrlSourceOptions } from './url-source';

/**
 * Whether `location` is a base URL (`http://`, `https://`, `blob:` or `file:`) rather than a
 * local folder path.
 *
 * @example
 * ```ts
 * isCheckpointUrl('https://huggingface.co/prajjwal1/bert-tiny/resolve/main'); // true
 * isCheckpointUrl('./checkpoints/bert-tiny'); // false
 * ```
 */
export function isCheckpointUrl(location: string): boolean {
  return /^(https?|blob|file):/i.test(location);
}

/**
 * A {@link CheckpointSource} from what a user passed: a source is returned as it is, a base URL
 * in the Hub's layout becomes a {@link urlSource}. A folder path is an error saying to pass
 * `folderSource(path)` from `@heed/models/node` (the main entry stays free of Node built-ins).
 *
 * @example
 * ```ts
 * const source = resolveCheckpointSource('https://huggingface.co/google/vit-base-patch16-224/resolve/main');
 * const local = resolveCheckpointSource(folderSource('checkpoints/bert-tiny')); // Node
 * ```
 */
export function resolveCheckpointSource(source: CheckpointSource | string, options: UrlSourceOptions = {}): CheckpointSource {
  if (typeof source !== 'string') {
    if (source === null || typeof source !== 'object' || typeof (source as CheckpointSource).readText !== 'function') {
      throw new TypeError(`source: expected a folder path, a base URL or a CheckpointSource, got ${source === null ? 'null' : typeof source}`);
    }
    return source;
  }
  if (source.length === 0) throw new TypeError('source: expected a folder path or a base URL, got an empty string');
  if (isCheckpointUrl(source)) return urlSource(source, options);
  throw new TypeError(
    `source: ${JSON.stringify(source.length > 120 ? `${source.slice(0, 120)}…` : source)} is not a base URL (http://, https://); for a local folder pass folderSource(path) from '@heed/models/node', for dropped files fileListSource(files)`,
  );
}
