import * as tf from '@tensorflow/tfjs';

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

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new Error(`cannot fetch ${url} (${(cause as Error).message}); is the page offline?`, { cause });
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
  return response;
}

/**
 * A `tf.io.IOHandler` that loads a model saved by `tf.io` (`model.json` and the weight files its
 * `weightsManifest` names, relative to it) over http, reporting downloaded bytes of the whole model
 * to `onProgress` (unlike `tf.io.http`, whose progress moves once per weight file). Any heed model
 * class loads from it: `Seq2Seq.load(handler)`, `VisionTransformer.load(handler)`, `TextClassifier.load(handler)`.
 */
export function progressHttpHandler(modelUrl: string, onProgress: (progress: DownloadProgress) => void, expectedBytes = 0): tf.io.IOHandler {
  return {
    async load() {
      let loaded = 0;
      const report = (bytes: number) => {
        loaded += bytes;
        onProgress({ loaded, total: Math.max(expectedBytes, loaded) });
      };
      const jsonBytes = await readBody(await fetchOk(modelUrl), report);
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
      } catch (cause) {
        throw new Error(`${modelUrl} is not valid JSON; the file is damaged`, { cause });
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${modelUrl} is not a saved tf.io model (no modelTopology or weightsManifest)`);
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const path of group.paths) {
            const bytes = await readBody(await fetchOk(new URL(path, new URL(modelUrl, location.href)).href), report);
            buffers.push(bytes.buffer as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}
