import { blobSource, bytesSource, type ByteSource } from '../safetensors/byte-source';
import { CheckpointSourceError, type CheckpointSource, type DownloadProgress } from './checkpoint-source';

/** The part of the browser Cache API a {@link urlSource} uses. */
export interface ResponseCache {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
}

/** Options of {@link urlSource}. */
export interface UrlSourceOptions {
  /** Called as bytes of each file arrive (and once for a cached file). */
  onProgress?: (progress: DownloadProgress) => void;
  /**
   * Where downloaded files are kept so a second visit does not download them again: a `Cache`,
   * a cache name opened from `caches` (default `"heed-hf"` where `caches` exists), or false.
   */
  cache?: ResponseCache | string | false;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. `{ Authorization: 'Bearer hf_…' }` for gated models). */
  headers?: Record<string, string>;
}

/**
 * A checkpoint at a base URL in the Hub's layout: `<base>/config.json`, `<base>/model.safetensors`,
 * `<base>/tokenizer.json`, … as under `https://huggingface.co/<id>/resolve/main/`. Each file is
 * downloaded once with progress reports and put in the browser Cache API, so a second visit reads
 * it from the cache; weights are then read range by range from the cached `Blob`.
 *
 * @example
 * ```ts
 * const source = urlSource('https://huggingface.co/prajjwal1/bert-tiny/resolve/main', {
 *   onProgress: ({ file, loaded, total }) => console.log(file, loaded, total),
 * });
 * const config = JSON.parse(await source.readText('config.json'));
 * ```
 */
export function urlSource(base: string, options: UrlSourceOptions = {}): CheckpointSource {
  const root = base.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  let cachePromise: Promise<ResponseCache | undefined> | undefined;
  const cache = (): Promise<ResponseCache | undefined> => {
    cachePromise ??= (async () => {
      const choice = options.cache ?? 'heed-hf';
      if (choice === false) return undefined;
      if (typeof choice !== 'string') return choice;
      const storage = (globalThis as { caches?: CacheStorage }).caches;
      return storage ? storage.open(choice).catch(() => undefined) : undefined;
    })();
    return cachePromise;
  };
  const urlOf = (file: string) => `${root}/${file.split('/').map(encodeURIComponent).join('/')}`;
  const request = async (url: string, method: 'GET' | 'HEAD'): Promise<Response> => {
    try {
      return await fetchImpl(url, { method, headers: options.headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CheckpointSourceError(url, `unreachable (${cause?.code ?? cause?.message ?? (error as Error).message})`, undefined, { cause: error });
    }
  };
  const httpError = (url: string, response: Response) =>
    new CheckpointSourceError(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, response.status);

  const download = async (file: string): Promise<Blob | Uint8Array<ArrayBuffer>> => {
    const url = urlOf(file);
    const cached = await (await cache())?.match(url).catch(() => undefined);
    if (cached) {
      const blob = await cached.blob();
      options.onProgress?.({ file, loaded: blob.size, total: blob.size, cached: true });
      return blob;
    }
    const response = await request(url, 'GET');
    if (!response.ok) throw httpError(url, response);
    const header = response.headers.get('content-length'); // absent for chunked responses: size unknown, not 0
    const length = header === null ? Number.NaN : Number(header);
    const total = Number.isSafeInteger(length) && length >= 0 && !response.headers.get('content-encoding') ? length : undefined;
    const bytes = await readBody(url, file, response, total, options.onProgress);
    const store = await cache();
    // The cache gets its own Blob (browsers keep it on disk); the caller reads from the bytes.
    if (store) await store.put(url, new Response(new Blob([bytes]), { headers: { 'content-type': response.headers.get('content-type') ?? 'application/octet-stream' } })).catch(() => undefined);
    return bytes;
  };

  return {
    location: root,
    async has(file) {
      const url = urlOf(file);
      if (await (await cache())?.match(url).catch(() => undefined)) return true;
      const response = await request(url, 'HEAD');
      if (response.ok) return true;
      if (response.status === 404) return false;
      throw httpError(url, response);
    },
    async readText(file) {
      const body = await download(file);
      return body instanceof Uint8Array ? new TextDecoder().decode(body) : body.text();
    },
    async open(file): Promise<ByteSource> {
      const body = await download(file);
      return body instanceof Uint8Array ? bytesSource(body, urlOf(file)) : blobSource(body, urlOf(file));
    },
  };
}

/** Reads a response body, reporting progress; into one preallocated buffer when the size is known. */
async function readBody(url: string, file: string, response: Response, total: number | undefined, onProgress: UrlSourceOptions['onProgress']): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  let out = total !== undefined ? new Uint8Array(total) : undefined;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (out && loaded + value.byteLength <= out.byteLength) out.set(value, loaded);
      else chunks.push(value);
      loaded += value.byteLength;
      onProgress?.({ file, loaded, total, cached: false });
    }
  } catch (error) {
    throw new CheckpointSourceError(url, `download failed after ${loaded} bytes (${(error as Error).message})`, undefined, { cause: error });
  }
  if (total !== undefined && loaded !== total) {
    throw new CheckpointSourceError(url, `download ended after ${loaded} of ${total} bytes`);
  }
  if (!out) {
    out = new Uint8Array(loaded);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  return out;
}
