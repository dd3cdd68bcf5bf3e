import type { ByteSource } from '../safetensors/byte-source';

/**
 * The files of one checkpoint in the Hugging Face layout (`config.json`, `model.safetensors` or
 * `model.safetensors.index.json` + shards, `tokenizer.json`, `tokenizer_config.json`,
 * `preprocessor_config.json`), wherever they live: a local folder (`folderSource` in
 * `@heed/models/node`), a base URL ({@link urlSource}), dropped files ({@link fileListSource}).
 */
export interface CheckpointSource {
  /** The folder, URL or "dropped files", for messages. */
  readonly location: string;
  /** Whether the checkpoint has `file` (false for a 404 or a missing file; other failures throw). */
  has(file: string): Promise<boolean>;
  /** The text of `file` (JSON configs, tokenizer files). Throws {@link CheckpointSourceError}. */
  readText(file: string): Promise<string>;
  /** Random access to `file`'s bytes (weights). Throws {@link CheckpointSourceError}. */
  open(file: string): Promise<ByteSource>;
}

/**
 * A checkpoint file that cannot be had: missing, unreachable, or answered with an HTTP error.
 * The message names the file (its path or URL) and, for HTTP, the status.
 *
 * @example
 * ```ts
 * try { await urlSource('https://huggingface.co/nobody/nothing/resolve/main').readText('config.json'); }
 * catch (error) { if (error instanceof CheckpointSourceError) console.log(error.file, error.status); } // …/config.json 404
 * ```
 */
export class CheckpointSourceError extends Error {
  constructor(
    /** The file's path or URL. */
    readonly file: string,
    message: string,
    /** The HTTP status, when a server answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
    this.name = 'CheckpointSourceError';
  }
}

/** Progress of one download, reported as bytes arrive. */
export interface DownloadProgress {
  /** The checkpoint file, e.g. `model.safetensors`. */
  readonly file: string;
  /** Bytes received so far. */
  readonly loaded: number;
  /** The file's size from Content-Length, when the server sent it. */
  readonly total?: number;
  /** True when the file came from the cache (one report, loaded = total). */
  readonly cached: boolean;
}
