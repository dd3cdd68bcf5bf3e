/**
 * FNV-1a 32-bit hash of a string's UTF-8 bytes (offset basis 0x811c9dc5, prime 0x01000193).
 *
 * @example
 * ```ts
 * fnv1a32('foobar'); // 0xbf9cf968
 * ```
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A split of a dataset. */
export type Split = 'train' | 'validation' | 'test';

/**
 * The documented, recomputable split of heed's datasets: FNV-1a 32-bit of the key (e.g. the
 * lowercase CMUdict word, so all its pronunciations stay together) modulo 20: 0 → test,
 * 1 → validation, anything else → train (90/5/5).
 *
 * @example
 * ```ts
 * splitOf('paste'); // 'train' | 'validation' | 'test', the same on every machine
 * ```
 */
export function splitOf(key: string): Split {
  const bucket = fnv1a32(key) % 20;
  return bucket === 0 ? 'test' : bucket === 1 ? 'validation' : 'train';
}
