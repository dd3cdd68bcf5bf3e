import * as tf from '@tensorflow/tfjs';

/**
 * A `tf.io.IOHandler` over any registered `tf.io` URL scheme (e.g. `indexeddb://` in browsers)
 * that never overwrites the live checkpoint: each save writes a new key `<url>@<id>`, then swaps
 * a small pointer saved at `<url>` to it (one IndexedDB transaction), then removes the previous
 * key. A failure before the swap leaves the pointer on the previous, complete checkpoint.
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
      await handler(url, 'save').save!({ modelTopology: { heedCheckpointKey: key }, weightSpecs: [], weightData: new ArrayBuffer(0) });
      if (previous) await tf.io.removeModel(previous).catch(() => undefined); // best effort: stale copies are harmless
      return result;
    },
    async load() {
      const key = await readPointer();
      if (!key) throw new Error(`no checkpoint at ${url}: its pointer is missing`);
      return handler(key, 'load').load!();
    },
  };
}
