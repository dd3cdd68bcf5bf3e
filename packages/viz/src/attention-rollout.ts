import { attentionLayer, type AttentionInput, type Matrix } from './attention-tensor';

/** Options of {@link attentionRollout}. */
export interface AttentionRolloutOptions {
  /** How heads are combined per layer (default `mean`). */
  headFusion?: 'mean' | 'max' | 'min';
  /** Add the identity for residual connections, 0.5 · A + 0.5 · I (default true). */
  residual?: boolean;
}

/**
 * Attention rollout (Abnar & Zuidema 2020): fuses heads per layer, adds the residual identity,
 * renormalizes rows and multiplies the layers, giving how much each output token draws on each
 * input token. Input shape (layers, heads, T, T); output (T, T).
 *
 * @example
 * ```ts
 * // ViT weights: Float32Array of shape (layers=4, heads=4, T=50, T=50), token 0 is [CLS]
 * const rollout = attentionRollout({ weights, shape: [4, 4, 50, 50] });
 * const patches = rollout.values.slice(1, 50); // row of [CLS], without itself: 49 patch weights (7 × 7)
 * ```
 */
export function attentionRollout(input: AttentionInput, options: AttentionRolloutOptions = {}): Matrix {
  const caller = 'attentionRollout';
  const layers = input.shape?.length === 4 ? input.shape[0]! : 1;
  const fusion = options.headFusion ?? 'mean';
  const residual = options.residual ?? true;
  let result: Float32Array | undefined;
  let size = 0;
  for (let layer = 0; layer < layers; layer++) {
    const data = attentionLayer(caller, input, layer);
    if (data.rows !== data.columns) throw new Error(`${caller}: attention must be square (T, T) for rollout; got ${data.rows} × ${data.columns}`);
    size = data.rows;
    const fused = new Float32Array(size * size);
    for (let index = 0; index < size * size; index++) {
      let value = fusion === 'mean' ? 0 : data.values[index]!;
      for (let head = 0; head < data.heads; head++) {
        const weight = data.values[head * size * size + index]!;
        if (fusion === 'mean') value += weight / data.heads;
        else value = fusion === 'max' ? Math.max(value, weight) : Math.min(value, weight);
      }
      fused[index] = value;
    }
    for (let row = 0; row < size; row++) {
      let sum = 0;
      for (let column = 0; column < size; column++) {
        const index = row * size + column;
        if (residual) fused[index] = 0.5 * fused[index]! + (row === column ? 0.5 : 0);
        sum += fused[index]!;
      }
      if (sum > 0) for (let column = 0; column < size; column++) fused[row * size + column]! /= sum;
    }
    if (result === undefined) {
      result = fused;
    } else {
      const next = new Float32Array(size * size);
      for (let row = 0; row < size; row++)
        for (let middle = 0; middle < size; middle++) {
          const a = fused[row * size + middle]!;
          if (a !== 0) for (let column = 0; column < size; column++) next[row * size + column]! += a * result[middle * size + column]!;
        }
      result = next;
    }
  }
  return { rows: size, columns: size, values: result ?? new Float32Array(0) };
}
