import { maskStrides, visibleKeys, type AttentionProblem } from './attention-problem';

/** Output of an attention forward core. */
export interface AttentionForwardResult {
  /** (batch, heads, T, D) */
  output: Float32Array;
  /** (batch, heads, T): log Σ_j exp(scale·q_i·k_j) over visible keys; −Infinity if none. */
  logSumExp: Float32Array;
  /**
   * True when the cores checked that query, key and value hold no NaN, so the NaN contract
   * (`poisonAttentionOutputJs`) has nothing to add; absent when they did not check.
   */
  finiteInputs?: boolean;
}

/**
 * Reference fused attention forward in plain JavaScript: for each query row, the scaled scores
 * of its visible keys go into one reused row buffer (O(S) extra memory, never T×S), then
 * softmax(scores)·V is accumulated and the row's log-sum-exp is saved for the backward pass.
 */
export function attentionForwardJs(problem: AttentionProblem): AttentionForwardResult {
  const { batch, heads, queryLength, keyLength, depth, scale, query, key, value, mask } = problem;
  const strides = maskStrides(problem);
  const output = new Float32Array(batch * heads * queryLength * depth);
  const logSumExp = new Float32Array(batch * heads * queryLength);
  const scores = new Float64Array(keyLength);
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++) {
      const slice = b * heads + h;
      const keyBase = slice * keyLength * depth;
      for (let i = 0; i < queryLength; i++) {
        const row = slice * queryLength + i;
        const queryOffset = row * depth;
        const maskRow = b * strides.batch + h * strides.heads + i * strides.query;
        const [first, last] = visibleKeys(problem, i);
        let max = -Infinity;
        for (let j = first; j <= last; j++) {
          if (!strides.allVisible && mask[maskRow + j * strides.key] === 0) {
            scores[j] = -Infinity;
            continue;
          }
          const keyOffset = keyBase + j * depth;
          let dot = 0;
          for (let d = 0; d < depth; d++) dot += (query[queryOffset + d] as number) * (key[keyOffset + d] as number);
          const score = dot * scale;
          scores[j] = score;
          max = Math.max(max, score); // NaN-propagating, as wasm's f32.max: a NaN score makes the row NaN
        }
        if (max === -Infinity) {
          logSumExp[row] = -Infinity; // fully masked row: output stays zero
          continue;
        }
        let sum = 0;
        for (let j = first; j <= last; j++) {
          const score = scores[j] as number;
          if (score === -Infinity) continue;
          const weight = Math.exp(score - max);
          sum += weight;
          const valueOffset = keyBase + j * depth;
          for (let d = 0; d < depth; d++) output[queryOffset + d] = (output[queryOffset + d] as number) + weight * (value[valueOffset + d] as number);
        }
        for (let d = 0; d < depth; d++) output[queryOffset + d] = (output[queryOffset + d] as number) / sum;
        logSumExp[row] = max + Math.log(sum);
      }
    }
  return { output, logSumExp };
}
