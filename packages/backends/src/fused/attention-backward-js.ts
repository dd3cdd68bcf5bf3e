import { maskStrides, visibleKeys, type AttentionProblem } from './attention-problem';

/** Gradients of attention w.r.t. its three inputs, same shapes as the inputs. */
export interface AttentionGradients {
  dQuery: Float32Array;
  dKey: Float32Array;
  dValue: Float32Array;
  /**
   * True when the cores checked that query, key, value and dOutput hold no NaN, so the NaN
   * contract (`poisonAttentionGradientsJs`) has nothing to add; absent when they did not check.
   */
  finiteInputs?: boolean;
}

/** The forward results and upstream gradient the backward pass needs. */
export interface AttentionBackwardInputs {
  /** (batch, heads, T, D) */
  output: Float32Array;
  /** (batch, heads, T) */
  logSumExp: Float32Array;
  /** (batch, heads, T, D) */
  dOutput: Float32Array;
}

/**
 * Reference fused attention backward in plain JavaScript (FlashAttention-2's recurrences): the
 * probabilities are recomputed from the saved log-sum-exp, p_ij = exp(scale·q_i·k_j − lse_i), so
 * no T×S buffer exists. With δ_i = dO_i·O_i: dV_j += p_ij·dO_i, ds_ij = p_ij·(dO_i·V_j − δ_i),
 * dQ_i += scale·ds_ij·K_j, dK_j += scale·ds_ij·Q_i.
 */
export function attentionBackwardJs(problem: AttentionProblem, inputs: AttentionBackwardInputs): AttentionGradients {
  const { batch, heads, queryLength, keyLength, depth, scale, query, key, value, mask } = problem;
  const { output, logSumExp, dOutput } = inputs;
  const strides = maskStrides(problem);
  const dQuery = new Float32Array(query.length);
  const dKey = new Float32Array(key.length);
  const dValue = new Float32Array(value.length);
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++) {
      const slice = b * heads + h;
      const keyBase = slice * keyLength * depth;
      for (let i = 0; i < queryLength; i++) {
        const row = slice * queryLength + i;
        const lse = logSumExp[row] as number;
        if (lse === -Infinity) continue; // fully masked row: no gradient flows
        const queryOffset = row * depth;
        const maskRow = b * strides.batch + h * strides.heads + i * strides.query;
        let delta = 0;
        for (let d = 0; d < depth; d++) delta += (dOutput[queryOffset + d] as number) * (output[queryOffset + d] as number);
        const [first, last] = visibleKeys(problem, i);
        for (let j = first; j <= last; j++) {
          if (!strides.allVisible && mask[maskRow + j * strides.key] === 0) continue;
          const keyOffset = keyBase + j * depth;
          let dot = 0;
          let dProbability = 0;
          for (let d = 0; d < depth; d++) {
            dot += (query[queryOffset + d] as number) * (key[keyOffset + d] as number);
            dProbability += (dOutput[queryOffset + d] as number) * (value[keyOffset + d] as number);
          }
          const probability = Math.exp(dot * scale - lse);
          const dScore = probability * (dProbability - delta) * scale;
          for (let d = 0; d < depth; d++) {
            dValue[keyOffset + d] = (dValue[keyOffset + d] as number) + probability * (dOutput[queryOffset + d] as number);
            dQuery[queryOffset + d] = (dQuery[queryOffset + d] as number) + dScore * (key[keyOffset + d] as number);
            dKey[keyOffset + d] = (dKey[keyOffset + d] as number) + dScore * (query[queryOffset + d] as number);
          }
        }
      }
    }
  return { dQuery, dKey, dValue };
}
