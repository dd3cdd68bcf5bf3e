import { blobSource, type ByteSource } from '../safetensors/byte-source';
import { CheckpointSourceError, type CheckpointSource } from './checkpoint-source';

/**
 * A checkpoint from files the user dropped or picked (`<input type="file" webkitdirectory>`, a
 * drop's `dataTransfer.files`): files are matched by their base name, so a dropped folder and its
 * loose files both work. Weights are read range by range through `File.slice`, never whole.
 *
 * @example
 * ```ts
 * input.addEventListener('change', async () => {
 *   const source = fileListSource(input.files!);
 *   const config = JSON.parse(await source.readText('config.json'));
 * });
 * ```
 */
export function fileListSource(files: ArrayLike<File> | Iterable<File>): CheckpointSource {
  const byName = new Map<string, File>();
  const list = Symbol.iterator in Object(files) ? [...(files as Iterable<File>)] : Array.from(files as ArrayLike<File>);
  for (const file of list) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    const name = path.split('/').pop()!;
    const other = byName.get(name);
    if (other) {
      const otherPath = (other as File & { webkitRelativePath?: string }).webkitRelativePath || other.name;
      throw new CheckpointSourceError(name, `two dropped files have this name (${otherPath} and ${path}): drop one checkpoint folder`);
    }
    byName.set(name, file);
  }
  const get = (file: string): File => {
    const found = byName.get(file);
    if (!found) throw new CheckpointSourceError(file, `not among the dropped files (${[...byName.keys()].slice(0, 8).join(', ') || 'none'}${byName.size > 8 ? ', …' : ''})`);
    return found;
  };
  return {
    location: 'dropped files',
    has: async (file) => byName.has(file),
    readText: async (file) => get(file).text(),
    open: async (file): Promise<ByteSource> => blobSource(get(file), file),
  };
}
