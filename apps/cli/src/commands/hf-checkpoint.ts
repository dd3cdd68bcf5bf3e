import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CheckpointSourceError, SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, SafetensorsReader, ShardedSafetensorsReader, httpRangeSource, isCheckpointUrl,
  openCheckpointWeights, parseHfConfig, parseSafetensorsIndex, urlSource, type CheckpointSource, type HfConfig, type TensorReader,
} from '@heed/models';
import { folderSource } from '@heed/models/node';

/** The files `heed hf info` looks for at a URL (a folder is listed as it is). */
export const HF_KNOWN_FILES = [
  'config.json', SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'vocab.json',
  'merges.txt', 'preprocessor_config.json', 'pytorch_model.bin', 'tf_model.h5', 'generation_config.json',
];

/** A checkpoint named on the command line: a folder or a base URL in the Hub's layout. */
export interface HfCheckpoint {
  readonly location: string;
  readonly url: boolean;
  readonly source: CheckpointSource;
}

/**
 * Opens `<dir|url>` for the `heed hf` commands: a base URL (http/https) is read through
 * `urlSource` (no cache in Node), anything else as a local folder, which must exist.
 */
export async function openHfCheckpoint(location: string | undefined, command: string): Promise<HfCheckpoint> {
  if (location === undefined || location.startsWith('--')) throw new Error(`heed hf ${command}: expected a checkpoint folder or base URL first, got ${location === undefined ? 'nothing' : JSON.stringify(location)}`);
  if (isCheckpointUrl(location)) {
    const base = location.replace(/\/+$/, '');
    return { location: base, url: true, source: urlSource(base, { cache: false }) };
  }
  const info = await stat(location).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`heed hf ${command}: ${location}: ${info ? 'not a folder' : 'no such folder'} (give a checkpoint folder or a base URL like https://huggingface.co/<id>/resolve/main)`);
  return { location, url: false, source: folderSource(location) };
}

/** The parsed config.json of a checkpoint (errors name the file and the field). */
export async function readHfConfig(checkpoint: HfCheckpoint): Promise<HfConfig> {
  const file = `${checkpoint.location}/config.json`;
  return parseHfConfig(await checkpoint.source.readText('config.json'), file);
}

/**
 * The checkpoint's weights with only their headers read: from a folder through file handles, from
 * a URL through HTTP range requests (nothing else is downloaded).
 */
export async function openWeightHeaders(checkpoint: HfCheckpoint): Promise<TensorReader> {
  if (!checkpoint.url) return openCheckpointWeights(checkpoint.source);
  const fileUrl = (file: string) => `${checkpoint.location}/${file}`;
  if (await checkpoint.source.has(SAFETENSORS_FILE)) return SafetensorsReader.open(await httpRangeSource(fileUrl(SAFETENSORS_FILE)));
  if (await checkpoint.source.has(SAFETENSORS_INDEX_FILE)) {
    return ShardedSafetensorsReader.open(await checkpoint.source.readText(SAFETENSORS_INDEX_FILE), (shard) => httpRangeSource(fileUrl(shard)), fileUrl(SAFETENSORS_INDEX_FILE));
  }
  throw new CheckpointSourceError(checkpoint.location, `holds neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE}`);
}

/** The checkpoint's files with their sizes: a folder's listing, or the known files a URL answers for. */
export async function listHfFiles(checkpoint: HfCheckpoint): Promise<Array<{ name: string; bytes: number | null }>> {
  if (!checkpoint.url) {
    const names = (await readdir(checkpoint.location, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
    return Promise.all(names.map(async (name) => ({ name, bytes: (await stat(join(checkpoint.location, name))).size })));
  }
  const names = [...HF_KNOWN_FILES];
  const found: Array<{ name: string; bytes: number | null }> = [];
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const response = await fetch(`${checkpoint.location}/${name}`, { method: 'HEAD' }).catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string } }).cause;
      throw new CheckpointSourceError(`${checkpoint.location}/${name}`, `unreachable (${cause?.code ?? (error as Error).message})`, undefined, { cause: error });
    });
    if (response.status === 404) continue;
    if (!response.ok) throw new CheckpointSourceError(`${checkpoint.location}/${name}`, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, response.status);
    const length = response.headers.get('content-length');
    found.push({ name, bytes: length === null ? null : Number(length) });
    if (name === SAFETENSORS_INDEX_FILE) names.push(...parseSafetensorsIndex(await checkpoint.source.readText(name), `${checkpoint.location}/${name}`).shards);
  }
  return found;
}

/** Writes to stdout and waits until it is flushed (a pipe must not lose the tail on exit). */
export function print(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

/** Cuts a long value for a message. */
export function cut(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
