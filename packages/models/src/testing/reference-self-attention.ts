import type { TransformerEncoderBlock } from '@heed/attention';

/**
 * Test reference, independent of heed's attention code: the self-attention weights
 * `(batch, heads, time, time)` of a built encoder block for its input `x (batch, time, width)`,
 * in float64 loops from the block's weights: `LN₁(x)` first when the block is pre-norm, then per
 * head `softmax(q·kᵀ/√keyDim)` over the keys `keyMask` allows (1 = may attend; masked keys 0).
 * Row-major, flat.
 *
 * @example
 * ```ts
 * const expected = await referenceSelfAttention(block, await x.array() as number[][][]);
 * ```
 */
export async function referenceSelfAttention(block: TransformerEncoderBlock, x: number[][][], keyMask?: number[][]): Promise<number[]> {
  const weight = async (name: string) => {
    const found = block.weights.find((candidate) => candidate.originalName.endsWith(`/${name}`) || candidate.originalName === name);
    if (!found) throw new Error(`referenceSelfAttention: block ${block.name} has no weight ${name}`);
    return { values: Array.from(await found.read().data()), shape: found.shape as number[] };
  };
  const [queryKernel, queryBias, keyKernel, keyBias] = await Promise.all(['self_attention/query/kernel', 'self_attention/query/bias', 'self_attention/key/kernel', 'self_attention/key/bias'].map(weight));
  const [gamma, beta] = await Promise.all(['self_attention_layer_norm/gamma', 'self_attention_layer_norm/beta'].map(weight));
  const [width, heads, keyDim] = queryKernel!.shape as [number, number, number];
  const epsilon = block.config.layerNormEpsilon;
  const normalize = (row: number[]) => {
    const mean = row.reduce((sum, value) => sum + value, 0) / row.length;
    const variance = row.reduce((sum, value) => sum + (value - mean) ** 2, 0) / row.length;
    return row.map((value, index) => ((value - mean) / Math.sqrt(variance + epsilon)) * gamma!.values[index]! + beta!.values[index]!);
  };
  // kernel (width, heads, keyDim) flat: [i][h][d] at (i·heads + h)·keyDim + d; bias (heads, keyDim).
  const project = (row: number[], kernel: number[], bias: number[], head: number) =>
    Array.from({ length: keyDim }, (_, d) => row.reduce((sum, value, i) => sum + value * kernel[(i * heads + head) * keyDim + d]!, bias[head * keyDim + d]!));
  const out: number[] = [];
  x.forEach((sequence, b) => {
    const input = block.config.normalizeFirst ? sequence.map(normalize) : sequence;
    if (input[0]!.length !== width) throw new Error(`referenceSelfAttention: x has width ${input[0]!.length}; the block has ${width}`);
    for (let head = 0; head < heads; head++) {
      const queries = input.map((row) => project(row, queryKernel!.values, queryBias!.values, head));
      const keys = input.map((row) => project(row, keyKernel!.values, keyBias!.values, head));
      for (const query of queries) {
        const scores = keys.map((key, t) => (keyMask && !keyMask[b]![t] ? -Infinity : query.reduce((sum, value, d) => sum + value * key[d]!, 0) / Math.sqrt(keyDim)));
        const top = Math.max(...scores);
        const exps = scores.map((score) => (score === -Infinity ? 0 : Math.exp(score - top)));
        const total = exps.reduce((sum, value) => sum + value, 0);
        out.push(...exps.map((value) => value / total));
      }
    }
  });
  return out;
}
