import type { AttentionTiles } from './attention-tiles';
import { vectorHelpersWgsl, vectorLayout } from './attention-vector-wgsl';
import { ATTENTION_UNIFORMS, NEGATIVE, VISIBILITY_WGSL } from './attention-wgsl';
import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuProgram } from './webgpu-program';

/**
 * FlashAttention-2 backward, dQuery. Inputs `Q`, `K`, `V`, `M` as the forward pass, `dO`
 * (B, H, T, D) and `stats` ((B·H·T, 2) pairs [lse_i, δ_i]). One invocation per query row walks
 * the visible keys in shared tiles, recomputing p_ij = exp(scale·q_i·k_j − lse_i):
 * dQ_i = scale · Σ_j p_ij (dO_i·v_j − δ_i) k_j. Output (B, H, T, D).
 */
export class AttentionDQueryProgram implements WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['Q', 'K', 'V', 'M', 'dO', 'stats'];
  workgroupSize: [number, number, number];
  uniforms = ATTENTION_UNIFORMS;

  constructor(
    queryShape: number[],
    private readonly tiles: AttentionTiles,
  ) {
    const [batch = 1, heads = 1, queryLength = 1, depth = 1] = queryShape;
    this.outputShape = queryShape;
    this.workgroupSize = [tiles.threads, 1, 1];
    this.dispatch = [Math.max(1, batch * heads * Math.ceil(queryLength / tiles.threads)), 1, 1];
    this.shaderKey = `heedAttentionDQuery_${depth}_${tiles.threads}_${tiles.tile}_${tiles.shared}`;
  }

  getUserCode(): string {
    const depth = this.outputShape[3] ?? 1;
    const { threads, tile, shared } = this.tiles;
    const vector = vectorLayout(depth);
    const { type, arrayLength } = vector;
    const keyAt = shared ? 'tileK[jj * DV + d]' : 'heedLoadK(kvBase + (j0 + jj) * D + d * W)';
    const valueAt = shared ? 'tileV[jj * DV + d]' : 'heedLoadV(kvBase + (j0 + jj) * D + d * W)';
    return `
      const D = ${depth};
      const W = ${vector.width};
      const DV = ${vector.count};
      const BR = ${threads};
      const BC = ${tile};
      ${shared ? `var<workgroup> tileK : array<${type}, ${tile * arrayLength}>;\n      var<workgroup> tileV : array<${type}, ${tile * arrayLength}>;` : ''}
      var<workgroup> plan : vec4<i32>;
      ${WORKGROUP_LINEAR_WGSL}
      ${VISIBILITY_WGSL}
      ${vectorHelpersWgsl(vector, ['Q', 'K', 'V', 'dO'])}

      ${MAIN_HEADER} {
        let tid = i32(localIndex);
        let T = uniforms.qShape.z;
        let S = uniforms.kShape.z;
        let H = uniforms.qShape.y;
        let slices = uniforms.qShape.x * H;
        let blocks = (T + BR - 1) / BR;
        if (tid == 0) {
          let linear = heedWorkgroupLinear();
          let slice = linear / max(blocks, 1);
          let r0 = (linear - slice * blocks) * BR;
          if (slice >= slices || T == 0) {
            plan = vec4<i32>(-1, 0, 0, 0);
          } else {
            let range = heedKeyRange(r0, min(r0 + BR, T) - 1, S);
            plan = vec4<i32>(slice, r0, range.x, range.y);
          }
        }
        let p = workgroupUniformLoad(&plan);
        if (p.x < 0) { return; }
        let slice = p.x;
        let b = slice / H;
        let h = slice - b * H;
        let i = p.y + tid;
        let row = slice * T + i;
        let kvBase = slice * S * D;
        var lse = ${NEGATIVE};
        var delta = 0.0;
        if (i < T) {
          lse = stats[row * 2];
          delta = stats[row * 2 + 1];
        }
        // A row that sees no key (lse = −∞) gets no gradient; a NaN row (lse NaN) gets NaN.
        let rowLive = i < T && (lse > ${NEGATIVE} || lse != lse);

        var q : array<${type}, ${arrayLength}>;
        var g : array<${type}, ${arrayLength}>;
        var dq : array<${type}, ${arrayLength}>;
        if (rowLive) {
          for (var d = 0; d < DV; d++) {
            q[d] = heedLoadQ(row * D + d * W) * uniforms.scale;
            g[d] = heedLoadDO(row * D + d * W);
          }
        }

        for (var j0 = p.z; j0 < p.w; j0 += BC) {
          let count = min(BC, p.w - j0);
          ${shared ? `workgroupBarrier();
          for (var e = tid; e < count * DV; e += BR) {
            tileK[e] = heedLoadK(kvBase + j0 * D + e * W);
            tileV[e] = heedLoadV(kvBase + j0 * D + e * W);
          }
          workgroupBarrier();` : ''}
          if (rowLive) {
            for (var jj = 0; jj < count; jj++) {
              if (heedVisible(b, h, i, j0 + jj)) {
                var score = 0.0;
                var dp = 0.0;
                for (var d = 0; d < DV; d++) {
                  score += heedDot(q[d], ${keyAt});
                  dp += heedDot(g[d], ${valueAt});
                }
                let ds = exp(score - lse) * (dp - delta);
                for (var d = 0; d < DV; d++) { dq[d] += ds * ${keyAt}; }
              }
            }
          }
        }

        if (i < T) {
          for (var d = 0; d < DV; d++) { heedStore(row * D + d * W, dq[d] * uniforms.scale); }
        }
      }
    `;
  }
}
