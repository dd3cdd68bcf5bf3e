/**
 * Fixed token vectors for the live widgets: a token is the bag of its hashed character trigrams
 * (with `^` and `$` marking its ends), L2-normalized. No training, so the only structure is
 * spelling: equal tokens get equal vectors (dot product 1), tokens sharing trigrams are close.
 * A trained model instead learns projections W_Q, W_K, W_V of learned embeddings.
 *
 * @returns the vectors row-major, `tokens.length × dim`.
 */
export function toyEmbeddings(tokens: readonly string[], dim: number): number[][] {
  return tokens.map((token) => {
    const vector = new Array<number>(dim).fill(0);
    const padded = `^${token.toLowerCase()}$`;
    for (let start = 0; start + 3 <= padded.length; start++) {
      let hash = 0x811c9dc5; // FNV-1a
      for (const char of padded.slice(start, start + 3)) {
        hash ^= char.codePointAt(0)!;
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      vector[hash % dim]! += hash & 0x10000 ? 1 : -1;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  });
}
