// Fused attention backward, WebAssembly SIMD (FlashAttention-2 recurrences, no T×S buffer). Per
// query row i with δ_i = dO_i·O_i: recompute s_ij = scale·q_i·k_j and dp_ij = dO_i·v_j into two
// O(S) row buffers, p_ij = exp(s_ij − lse_i), ds_ij = scale·p_ij·(dp_ij − δ_i), then
// dV_j += p_ij·dO_i, dK_j += ds_ij·q_i, dQ_i += ds_ij·k_j. Gradients must start zeroed.
import { exponentiateRow, maskRow, scoresOfRow } from './attention-forward';
import { axpy, dot } from './vector-ops';

export function attentionBackward(
  query: usize, key: usize, value: usize, mask: usize, output: usize, logSumExp: usize, dOutput: usize,
  dQuery: usize, dKey: usize, dValue: usize, scores: usize, dProbabilities: usize,
  batch: i32, heads: i32, queryLength: i32, keyLength: i32, depth: i32,
  scale: f32, causal: i32, window: i32,
  maskStrideBatch: i32, maskStrideHeads: i32, maskStrideQuery: i32, maskStrideKey: i32, allVisible: i32,
): void {
  const rowBytes = <usize>depth << 2;
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++) {
      const slice = b * heads + h;
      const sliceOffset = <usize>slice * <usize>keyLength * rowBytes;
      for (let i = 0; i < queryLength; i++) {
        const row = slice * queryLength + i;
        const lse = load<f32>(logSumExp + (<usize>row << 2));
        if (lse == -Infinity) continue; // fully masked row: no gradient
        let first = 0;
        let last = keyLength - 1;
        if (causal) last = min(last, i);
        if (window >= 0) {
          first = max(first, i - window);
          last = min(last, i + window);
        }
        if (first > last) continue;
        const rowOffset = <usize>row * rowBytes;
        const queryRow = query + rowOffset;
        const dOutputRow = dOutput + rowOffset;
        const dQueryRow = dQuery + rowOffset;
        const delta = dot(dOutputRow, output + rowOffset, depth);
        scoresOfRow(queryRow, key + sliceOffset, scores, first, last, depth, scale);
        scoresOfRow(dOutputRow, value + sliceOffset, dProbabilities, first, last, depth, 1);
        const maskRowOffset = b * maskStrideBatch + h * maskStrideHeads + i * maskStrideQuery;
        maskRow(scores, mask, maskRowOffset, maskStrideKey, allVisible != 0, first, last);
        exponentiateRow(scores, first, last, lse);
        const deltas = f32x4.splat(delta);
        const scales = f32x4.splat(scale);
        let j = first;
        for (; j + 3 <= last; j += 4) {
          const at = <usize>j << 2;
          const probabilities = v128.load(scores + at);
          v128.store(dProbabilities + at, f32x4.mul(f32x4.mul(probabilities, f32x4.sub(v128.load(dProbabilities + at), deltas)), scales));
        }
        for (; j <= last; j++) {
          const at = <usize>j << 2;
          store<f32>(dProbabilities + at, load<f32>(scores + at) * (load<f32>(dProbabilities + at) - delta) * scale);
        }
        for (j = first; j <= last; j++) {
          const probability = load<f32>(scores + (<usize>j << 2));
          if (probability == 0) continue;
          const dScore = load<f32>(dProbabilities + (<usize>j << 2));
          const keyOffset = sliceOffset + <usize>j * rowBytes;
          axpy(dValue + keyOffset, probability, dOutputRow, depth);
          axpy(dKey + keyOffset, dScore, queryRow, depth);
          axpy(dQueryRow, dScore, key + keyOffset, depth);
        }
      }
    }
}
