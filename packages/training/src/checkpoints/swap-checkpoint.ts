import * as tf from '@tensorflow/tfjs';

/**
 * Best effort, after a swap: removes every other `<url>@<id>` key (the previous checkpoint, and
 * copies left by saves that failed before their swap). Schemes without a tfjs model manager
 * (`tf.io.listModels` throws) get only the previous key removed. Stale copies are harmless.
 */
async function removeStale(url: string, current: string, previous: string | undefined): Promise<void> {
  const stale = new Set(previous ? [previous] : []);
  try {
    for (const key of Object.keys(await tf.io.listModels())) if (key.startsWith(`${url}@`) && key !== current) stale.add(key);
  } catch {
    // no model manager registered here
  }
  for (const key of stale) await tf.io.removeModel(key).catch(() => undefined);
}

/**
 * A `tf.io.IOHandler` over any registered `tf.io` URL scheme (e.g. `indexeddb://` in browsers)
 * that never overwrites the live checkpoint: each save writes a new key `<url>@<id>`, then swaps
 * a small pointer saved at `<url>` to it (a single IndexedDB put), then removes the previous key
 * and any left by failed saves. A failure before the swap (even half way through writing the new
 * key) leaves the pointer on the previous, complete checkpoint. Tested in headless Chromium
 * (`e2e/indexeddb-checkpoint.test.ts`).
 *
 * @example
 * ```ts
 * await trainer.save(swapCheckpoint('indexeddb://my-run'));
 * await trainer.load(swapCheckpoint('indexeddb://my-run'));
 * ```
 */
export function swapCheckpoint(url: string): tf.io.IOHandler {
  const handler = (key: string, kind: 'save' | 'load') => {
    const found = kind === 'save' ? tf.io.getSaveHandlers(key) : tf.io.getLoadHandlers(key);
    if (found.length === 0) throw new Error(`no tf.io ${kind} handler for "${key}": is its URL scheme registered here?`);
    return found[0]!;
  };
  const readPointer = async (): Promise<string | undefined> => {
    try {
      const pointer = await handler(url, 'load').load!();
      return (pointer.modelTopology as { heedCheckpointKey?: string } | undefined)?.heedCheckpointKey;
    } catch {
      return undefined;
    }
  };
  return {
    async save(artifacts) {
      const previous = await readPointer();
      const key = `${url}@${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      const result = await handler(key, 'save').save!(artifacts);
      await handler(url, 'save').save!({ modelTopology: { heedCheckpointKey: key }, weightSpecs: [], weightData: new ArrayBuffer(0) }); // the swap
      await removeStale(url, key, previous);
      return result;
    },
    async load() {
      const key = await readPointer();
      if (!key) throw new Error(`no checkpoint at ${url}: its pointer is missing`);
      return handler(key, 'load').load!();
    },
  };
}
