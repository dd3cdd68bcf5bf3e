/**
 * What every peer of the bert-base forward benchmarks feeds and how it is timed: browser-safe, so
 * the Node runner (hf-bert-peers.ts), the Chromium page (chromium/hf-bert-page.ts) and the PyTorch
 * peer (hf_bert_peer.py, same formula) time exactly the same inputs.
 */

/** Sequence length of every benchmark input. */
export const SEQ = 128;

/** The ids hf_bert_peer.py feeds too: (101 + row·31 + i·7) mod vocab; mask 1, token types 0. */
export function benchIds(batch: number, vocab: number): number[][] {
  return Array.from({ length: batch }, (_, row) => Array.from({ length: SEQ }, (_, i) => (101 + row * 31 + i * 7) % vocab));
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `fn` once (warm-up), then `n` timed times; the median in ms. */
export async function medianMs(fn: () => Promise<unknown> | unknown, n: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** max |a[i] − b[i]|. */
export const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - Number(b[i]))), 0);
