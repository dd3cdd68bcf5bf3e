import type { ByteSource } from '../safetensors/byte-source';
import { CheckpointSourceError } from './checkpoint-source';

/** Options of {@link httpRangeSource}. */
export interface HttpRangeSourceOptions {
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. `{ Authorization: 'Bearer hf_…' }`). */
  headers?: Record<string, string>;
}

/**
 * Random access to a file over HTTP without downloading it: the size from a `HEAD`, each read a
 * `Range` request (a server that ignores ranges is read only up to the end of the range, then the
 * download is cancelled). For reading safetensors headers (`heed hf info`) and single tensors of
 * a remote checkpoint. Errors are {@link CheckpointSourceError}s naming the URL and HTTP status.
 *
 * @example
 * ```ts
 * const bytes = await httpRangeSource('https://huggingface.co/prajjwal1/bert-tiny/resolve/main/model.safetensors');
 * const reader = await SafetensorsReader.open(bytes); // two small requests: the length, the header
 * reader.names.length;
 * ```
 */
export async function httpRangeSource(url: string, options: HttpRangeSourceOptions = {}): Promise<ByteSource> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const request = async (init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, headers: { ...options.headers, ...(init.headers as Record<string, string> | undefined) } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CheckpointSourceError(url, `unreachable (${cause?.code ?? cause?.message ?? (error as Error).message})`, undefined, { cause: error });
    }
    if (!response.ok) throw new CheckpointSourceError(url, `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, response.status);
    return response;
  };
  const head = await request({ method: 'HEAD' });
  const size = Number(head.headers.get('content-length'));
  if (!Number.isSafeInteger(size) || size < 0 || head.headers.get('content-length') === null) {
    throw new CheckpointSourceError(url, 'the server sent no Content-Length: its size is unknown');
  }
  return {
    name: url,
    size,
    async read(offset, length) {
      const end = Math.min(offset + length, size);
      if (end <= offset) return new Uint8Array(0);
      const response = await request({ method: 'GET', headers: { Range: `bytes=${offset}-${end - 1}` } });
      if (response.status === 206) return new Uint8Array(await response.arrayBuffer());
      // 200: the whole file; keep only up to the end of the range.
      const reader = response.body!.getReader();
      const out = new Uint8Array(end);
      let loaded = 0;
      while (loaded < end) {
        const { done, value } = await reader.read();
        if (done) break;
        out.set(value.subarray(0, end - loaded), loaded);
        loaded += value.byteLength;
      }
      await reader.cancel().catch(() => undefined);
      return out.subarray(offset, Math.min(loaded, end));
    },
    close: async () => undefined,
  };
}
