/** Options of {@link attentionRollout}. */
export interface AttentionRolloutOptions {
  /** How the heads of a layer are combined. Default `mean`. */
  headFusion?: 'mean' | 'max' | 'min';
  /** Weight of the attention against the residual identity, `a·A + (1 − a)·I`. Default 0.5. */
  attentionWeight?: number;
}

/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): per layer
 * the heads are fused, the residual connection is modelled as `Â = 0.5·A + 0.5·I`, rows are
 * renormalized to sum to 1, and the layers are multiplied, last layer on the left:
 * `R = Â_L · … · Â_1`. Row `i` of `R` says how much output token `i` draws on each input token.
 *
 * @param weights attention weights of shape `(layers, heads, time, time)`, row-major
 * @param shape `[layers, heads, time, time]`
 * @returns `R`, `(time, time)` row-major
 *
 * @example
 * ```ts
 * const rollout = attentionRollout(weights, [4, 4, 17, 17]); // ViT: token 0 is the class token
 * const overPatches = rollout.slice(1, 17); // the class token's row, without itself: a 4 × 4 patch map
 * ```
 */
export function attentionRollout(weights: ArrayLike<number>, shape: readonly [number, number, number, number], options: AttentionRolloutOptions = {}): Float32Array {
  const [layers, heads, rows, columns] = shape;
  if (rows !== columns) throw new Error(`attentionRollout: attention must be square (time, time) for rollout; got shape [${shape.join(', ')}]`);
  if (weights.length !== layers * heads * rows * columns) {
    throw new Error(`attentionRollout: ${weights.length} weights do not fill shape [${shape.join(', ')}] (${layers * heads * rows * columns})`);
  }
  const a = options.attentionWeight ?? 0.5;
  if (!(a >= 0 && a <= 1)) throw new Error(`attentionRollout: attentionWeight must be in [0, 1]; got ${a}`);
  const fusion = options.headFusion ?? 'mean';
  const size = rows;
  let result: Float32Array | undefined;
  for (let layer = 0; layer < layers; layer++) {
    const fused = new Float32Array(size * size);
    for (let index = 0; index < size * size; index++) {
      let value = fusion === 'mean' ? 0 : weights[layer * heads * size * size + index]!;
      for (let head = 0; head < heads; head++) {
        const weight = weights[(layer * heads + head) * size * size + index]!;
        if (fusion === 'mean') value += weight / heads;
        else value = fusion === 'max' ? Math.max(value, weight) : Math.min(value, weight);
      }
      fused[index] = value;
    }
    for (let row = 0; row < size; row++) {
      let sum = 0;
      for (let column = 0; column < size; column++) {
        const index = row * size + column;
        fused[index] = a * fused[index]! + (row === column ? 1 - a : 0);
        sum += fused[index]!;
      }
      if (sum > 0) for (let column = 0; column < size; column++) fused[row * size + column]! /= sum;
    }
    if (result === undefined) {
      result = fused;
      continue;
    }
    const next = new Float32Array(size * size); // fused · result
    for (let row = 0; row < size; row++) {
      for (let middle = 0; middle < size; middle++) {
        const weight = fused[row * size + middle]!;
        if (weight !== 0) for (let column = 0; column < size; column++) next[row * size + column]! += weight * result[middle * size + column]!;
      }
    }
    result = next;
  }
  if (result === undefined) throw new Error(`attentionRollout: need at least one layer; got shape [${shape.join(', ')}]`);
  return result;
}
