import type { ByteSource } from './byte-source';
import { isIntegerDtype } from './safetensors-dtype';
import { SafetensorsError, cut } from './safetensors-error';
import { SafetensorsReader, type Float32ChunkSink, type LoadedTensor, type ReadFloat32Options, type ReadTensorsOptions } from './safetensors-reader';
import { planSafetensors, type LazyTensorToWrite, type SafetensorsPlan, type TensorToWrite } from './serialize-safetensors';
import type { SafetensorsEntry } from './parse-safetensors-header';

/** The name Hugging Face gives a sharded checkpoint's index. */
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';
/** The name of a single-file checkpoint. */
export const SAFETENSORS_FILE = 'model.safetensors';

/** A parsed `model.safetensors.index.json`. */
export interface SafetensorsIndex {
  /** Tensor name → shard file name. */
  readonly weightMap: Readonly<Record<string, string>>;
  /** Shard file names in first-use order. */
  readonly shards: readonly string[];
  /** The index's `metadata` (e.g. `total_size`). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Parses a `model.safetensors.index.json` (`{"metadata": {...}, "weight_map": {tensor: shard}}`).
 *
 * @example
 * ```ts
 * parseSafetensorsIndex('{"weight_map":{"a":"model-00001-of-00002.safetensors"}}').shards; // ["model-00001-of-00002.safetensors"]
 * ```
 */
export function parseSafetensorsIndex(text: string, file = SAFETENSORS_INDEX_FILE): SafetensorsIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(file, `not valid JSON (${cut((error as Error).message)})`, undefined, { cause: error });
  }
  const weightMap = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new SafetensorsError(file, 'expected an object with a "weight_map" object of tensor → shard file');
  }
  const shards = new Set<string>();
  for (const [name, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard.length === 0 || shard.includes('/') || shard.includes('\\') || shard.startsWith('.')) {
      throw new SafetensorsError(file, `weight_map must name a shard file in the same folder; got ${cut(JSON.stringify(shard) ?? 'nothing')}`, name);
    }
    shards.add(shard);
  }
  const metadata = (json as { metadata?: unknown }).metadata;
  return {
    weightMap: weightMap as Record<string, string>,
    shards: [...shards],
    metadata: typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {},
  };
}

/** Tensor-by-tensor access to a checkpoint, one file or sharded. */
export interface TensorReader {
  /** Tensor names (in file order, shard after shard). */
  readonly names: readonly string[];
  /** The header entry of `name`, or undefined. */
  entry(name: string): SafetensorsEntry | undefined;
  /** Reads and decodes one tensor. */
  read(name: string): Promise<LoadedTensor>;
  /** Streams one floating-point tensor as float32, piece by piece ({@link SafetensorsReader.readFloat32}). */
  readFloat32(name: string, sink: Float32ChunkSink, options?: ReadFloat32Options): Promise<void>;
  /** Yields tensors one at a time. */
  tensors(options?: ReadTensorsOptions): AsyncGenerator<LoadedTensor>;
  /** Closes every file. */
  close(): Promise<void>;
}

/**
 * Reads a sharded checkpoint through its index: opens every shard's header (not its data),
 * checks that each tensor of `weight_map` is in its shard and that no shard holds a tensor the
 * index does not list, then reads tensor by tensor like {@link SafetensorsReader}.
 *
 * @example
 * ```ts
 * import { fileByteSource } from '@heed/models/node';
 * const reader = await ShardedSafetensorsReader.open(await readFile('llm/model.safetensors.index.json', 'utf8'), (shard) => fileByteSource(`llm/${shard}`));
 * const embeddings = await reader.read('model.embed_tokens.weight');
 * ```
 */
export class ShardedSafetensorsReader implements TensorReader {
  private readonly shardOf: Map<string, string>;

  private constructor(
    private readonly readers: Map<string, SafetensorsReader>,
    index: SafetensorsIndex,
    readonly names: readonly string[],
  ) {
    this.shardOf = new Map(Object.entries(index.weightMap));
  }

  /** Opens the shards named by the index text through `openShard`. Throws {@link SafetensorsError}. */
  static async open(indexText: string, openShard: (shard: string) => Promise<ByteSource>, indexFile = SAFETENSORS_INDEX_FILE): Promise<ShardedSafetensorsReader> {
    const index = parseSafetensorsIndex(indexText, indexFile);
    const readers = new Map<string, SafetensorsReader>();
    try {
      for (const shard of index.shards) {
        const source = await openShard(shard).catch((error: unknown) => {
          if (error instanceof SafetensorsError) throw error;
          throw new SafetensorsError(shard, `cannot open this shard of ${indexFile}: ${(error as Error).message}`, undefined, { cause: error });
        });
        readers.set(shard, await SafetensorsReader.open(source));
      }
      const names: string[] = [];
      for (const [shard, reader] of readers) {
        for (const name of reader.names) {
          const listed = Object.hasOwn(index.weightMap, name) ? index.weightMap[name] : undefined;
          if (listed !== shard) {
            throw new SafetensorsError(reader.name, listed === undefined ? `tensor is not in ${indexFile}'s weight_map` : `${indexFile} puts this tensor in ${listed}`, name);
          }
          names.push(name);
        }
      }
      for (const [name, shard] of Object.entries(index.weightMap)) {
        if (!readers.get(shard)!.entry(name)) throw new SafetensorsError(readers.get(shard)!.name, `${indexFile} lists this tensor here but the shard does not hold it`, name);
      }
      return new ShardedSafetensorsReader(readers, index, names);
    } catch (error) {
      for (const reader of readers.values()) await reader.close().catch(() => undefined);
      throw error;
    }
  }

  entry(name: string): SafetensorsEntry | undefined {
    const shard = this.shardOf.get(name);
    return shard === undefined ? undefined : this.readers.get(shard)!.entry(name);
  }

  async read(name: string): Promise<LoadedTensor> {
    const shard = this.shardOf.get(name);
    if (shard === undefined) throw new SafetensorsError(SAFETENSORS_INDEX_FILE, `no such tensor in weight_map (${this.names.length} tensors)`, name);
    return this.readers.get(shard)!.read(name);
  }

  async readFloat32(name: string, sink: Float32ChunkSink, options?: ReadFloat32Options): Promise<void> {
    const shard = this.shardOf.get(name);
    if (shard === undefined) throw new SafetensorsError(SAFETENSORS_INDEX_FILE, `no such tensor in weight_map (${this.names.length} tensors)`, name);
    return this.readers.get(shard)!.readFloat32(name, sink, options);
  }

  async *tensors(options: ReadTensorsOptions = {}): AsyncGenerator<LoadedTensor> {
    for (const reader of this.readers.values()) yield* reader.tensors(options);
  }

  async close(): Promise<void> {
    for (const reader of this.readers.values()) await reader.close();
  }
}

/** A checkpoint split into shards, ready to write: file name → planned shard, plus the index. */
export interface ShardedSafetensors {
  readonly shards: ReadonlyMap<string, SafetensorsPlan>;
  /** The `model.safetensors.index.json` text (absent when everything fits one shard). */
  readonly indexText?: string;
}

/**
 * Splits tensors into shards of at most `maxShardBytes` of data each (a larger tensor gets a shard
 * of its own), named as `save_pretrained` names them (`model-00001-of-00003.safetensors`), with
 * the index (`metadata.total_size`, `weight_map`). One shard: a plain `model.safetensors`, no index.
 *
 * @example
 * ```ts
 * const { shards, indexText } = shardSafetensors(tensors, 5 * 2 ** 30);
 * for (const [file, plan] of shards) console.log(file, plan.size);
 * ```
 */
export function shardSafetensors(
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  maxShardBytes: number,
  metadata: Readonly<Record<string, string>> = { format: 'pt' },
): ShardedSafetensors {
  if (!(maxShardBytes > 0)) throw new SafetensorsError(SAFETENSORS_INDEX_FILE, `maxShardBytes must be a positive number of bytes; got ${maxShardBytes}`);
  const plan = planSafetensors(tensors, metadata, SAFETENSORS_FILE); // validates every tensor once
  const groups: Record<string, TensorToWrite | LazyTensorToWrite>[] = [];
  let current: Record<string, TensorToWrite | LazyTensorToWrite> = {};
  let currentBytes = 0;
  let totalSize = 0;
  for (const part of plan.parts) {
    if (currentBytes > 0 && currentBytes + part.byteLength > maxShardBytes) {
      groups.push(current);
      current = {};
      currentBytes = 0;
    }
    current[part.name] = tensors[part.name]!;
    currentBytes += part.byteLength;
    totalSize += part.byteLength;
  }
  groups.push(current);
  if (groups.length === 1) return { shards: new Map([[SAFETENSORS_FILE, plan]]) };
  const pad = (n: number) => String(n).padStart(5, '0');
  const shards = new Map<string, SafetensorsPlan>();
  const weightMap: Record<string, string> = {};
  groups.forEach((group, i) => {
    const file = `model-${pad(i + 1)}-of-${pad(groups.length)}.safetensors`;
    shards.set(file, planSafetensors(group, metadata, file));
    for (const name of Object.keys(group)) weightMap[name] = file;
  });
  return { shards, indexText: `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2)}\n` };
}

/** Bytes of data a header entry holds (for totals and progress). */
export function entryBytes(entry: SafetensorsEntry): number {
  return entry.dataOffsets[1] - entry.dataOffsets[0];
}

/** Whether an entry is an integer buffer (position_ids and the like). */
export function isIntegerEntry(entry: SafetensorsEntry): boolean {
  return isIntegerDtype(entry.dtype);
}

