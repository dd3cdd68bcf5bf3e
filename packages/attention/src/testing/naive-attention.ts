/**
 * Test-only float64 reference: attention written as plain loops over `(batch, heads, T, dim)`
 * arrays, independent of tfjs, for checking heed's ops and their gradients.
 */
export interface NaiveAttentionInput {
  /** Flat row-major (batch, heads, T, dim). */
  query: ArrayLike<number>;
  key: ArrayLike<number>;
  value: ArrayLike<number>;
  batch: number;
  heads: number;
  queryLength: number;
  keyLength: number;
  depth: number;
  valueDepth: number;
  scale: number;
  /** May query `t` of (batch, head) attend to key `s`? */
  mayAttend?: (batch: number, head: number, t: number, s: number) => boolean;
}

/** Returns flat `context (batch, heads, T, valueDepth)` and `weights (batch, heads, T, S)`. */
export function naiveAttention(input: NaiveAttentionInput): { context: number[]; weights: number[] } {
  const { batch, heads, queryLength, keyLength, depth, valueDepth, scale } = input;
  const context: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++) {
      const bh = b * heads + h;
      for (let t = 0; t < queryLength; t++) {
        const scores: number[] = [];
        const visible: boolean[] = [];
        for (let s = 0; s < keyLength; s++) {
          let dot = 0;
          for (let d = 0; d < depth; d++) dot += input.query[(bh * queryLength + t) * depth + d]! * input.key[(bh * keyLength + s) * depth + d]!;
          scores.push(dot * scale);
          visible.push(input.mayAttend ? input.mayAttend(b, h, t, s) : true);
        }
        const max = Math.max(...scores.filter((_, s) => visible[s]));
        const exps = scores.map((score, s) => (visible[s] ? Math.exp(score - max) : 0));
        const total = exps.reduce((sum, e) => sum + e, 0);
        const row = exps.map((e) => (total > 0 ? e / total : 0));
        weights.push(...row);
        for (let d = 0; d < valueDepth; d++) {
          let sum = 0;
          for (let s = 0; s < keyLength; s++) sum += row[s]! * input.value[(bh * keyLength + s) * valueDepth + d]!;
          context.push(sum);
        }
      }
    }
  return { context, weights };
}
