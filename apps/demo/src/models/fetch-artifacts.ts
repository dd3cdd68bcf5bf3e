/** Bytes received so far and bytes expected (0 when unknown). */
export interface DownloadProgress {
  loaded: number;
  total: number;
}

/** Reads a response body, reporting bytes as they arrive. */
async function readBody(response: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!response.body) {
    const buffer = new Uint8Array(await response.arrayBuffer());
    onChunk(buffer.byteLength);
    return buffer;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * A `fetch` for `readHeedModel` of @heed/models that reports the bytes of every file it downloads
 * (a model's `config.json` and `model.safetensors`) to `onProgress`, summed over the whole model
 * (`expectedBytes`, from the build's index, is the total until more arrived). Errors name the URL.
 */
export function progressFetch(onProgress: (progress: DownloadProgress) => void, expectedBytes = 0): typeof fetch {
  let loaded = 0;
  const report = (bytes: number) => {
    loaded += bytes;
    onProgress({ loaded, total: Math.max(expectedBytes, loaded) });
  };
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (cause) {
      throw new Error(`cannot fetch ${url} (${(cause as Error).message}); is the page offline?`, { cause });
    }
    if (!response.ok) return response; // readHeedModel names the URL and the status
    const body = await readBody(response, report);
    return new Response(body.buffer as ArrayBuffer, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
