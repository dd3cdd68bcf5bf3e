/**
 * DistilBERT's fixed position table (`sinusoidal_pos_embds`, Vaswani et al. 2017 §3.5):
 * row `pos`, column `j` is `sin(pos / 10000^(2⌊j/2⌋/dim))` for even `j` and `cos(…)` for odd `j`,
 * computed in float64 as `create_sinusoidal_embeddings` does, `(positions, dim)` row-major.
 *
 * @example
 * ```ts
 * sinusoidalPositionTable(512, 768).length; // 393216
 * ```
 */
export function sinusoidalPositionTable(positions: number, dim: number): Float32Array {
  const table = new Float32Array(positions * dim);
  for (let position = 0; position < positions; position += 1) {
    for (let j = 0; j < dim; j += 1) {
      const angle = position / 10000 ** ((2 * Math.floor(j / 2)) / dim);
      table[position * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}
