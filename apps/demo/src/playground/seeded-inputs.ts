// Deterministic playground inputs computed in plain JavaScript (no tensors), so the e2e test computes
// the same numbers in Node and checks the browser's attention weights against @heed/attention there.
import { SeededRandom } from '@heed/training';

/** Uniform numbers in [0, 1) from @heed/training's seeded generator (mulberry32), as a function. */
function uniform(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** FNV-1a hash of a string, so each word gets its own embedding whatever its position. */
function hashWord(word: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** Standard normal samples (Box–Muller) from a seeded generator. */
function normals(random: () => number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    const u = 1 - random();
    out[index] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  return out;
}

/** Longest sentence the playground accepts, padding included. */
export const MAX_TOKENS = 12;

/** The padding token appended by the padding control. */
export const PAD = '<pad>';

/** Words of `sentence` (split on spaces) followed by `padding` {@link PAD} tokens. */
export function playgroundTokens(sentence: string, padding: number): string[] {
  const words = sentence.trim().split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) throw new Error('Type at least one word.');
  const tokens = [...words, ...Array.from({ length: padding }, () => PAD)];
  if (tokens.length > MAX_TOKENS) throw new Error(`At most ${MAX_TOKENS} tokens (padding included); got ${tokens.length}.`);
  return tokens;
}

/** Row-major (tokens, dim) embeddings: the same word always gets the same vector for a seed. */
export function embedTokens(tokens: readonly string[], dim: number, seed: number): Float32Array {
  const out = new Float32Array(tokens.length * dim);
  tokens.forEach((token, row) => out.set(normals(uniform(hashWord(token) ^ seed), dim), row * dim));
  return out;
}

/** A seeded (rows, columns) matrix with entries N(0, 1/rows), row-major. */
export function seededMatrix(rows: number, columns: number, seed: number): Float32Array {
  const out = normals(uniform(seed), rows * columns);
  const scale = 1 / Math.sqrt(rows);
  for (let index = 0; index < out.length; index++) out[index]! *= scale;
  return out;
}

/** `a (n, k) · b (k, m)`, row-major, in float64 rounded to float32. */
export function matMul(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float32Array {
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * m + j]!;
      out[i * m + j] = sum;
    }
  }
  return out;
}

/** Self-attention inputs of the scaled dot-product mechanism: Q = X·W_Q, K = X·W_K, V = X, each (T, dim). */
export function scaledDotInputs(tokens: readonly string[], dim: number, seed: number): { query: Float32Array; key: Float32Array; value: Float32Array } {
  const x = embedTokens(tokens, dim, seed);
  const t = tokens.length;
  return {
    query: matMul(x, seededMatrix(dim, dim, seed + 1), t, dim, dim),
    key: matMul(x, seededMatrix(dim, dim, seed + 2), t, dim, dim),
    value: x,
  };
}

/** Which masks the playground applies. */
export interface MaskSettings {
  /** How many trailing tokens are padding (blocked as keys). */
  padding: number;
  causal: boolean;
  /** Window radius r (|t − s| ≤ r may attend), or undefined for no window. */
  window?: number;
}

/** (T, T) allowed cells of the masks, true = may attend (heed's polarity), in plain JavaScript. */
export function allowedCells(length: number, masks: MaskSettings): boolean[][] {
  return Array.from({ length }, (_, t) =>
    Array.from({ length }, (_, s) => s < length - masks.padding && (!masks.causal || s <= t) && (masks.window === undefined || Math.abs(t - s) <= masks.window)),
  );
}
