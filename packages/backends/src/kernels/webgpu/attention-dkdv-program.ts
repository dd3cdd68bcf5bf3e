import type { AttentionTiles } from './attention-tiles';
import { vectorHelpersWgsl, vectorLayout } from './attention-vector-wgsl';
import { ATTENTION_UNIFORMS, NEGATIVE, VISIBILITY_WGSL } from './attention-wgsl';
import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuProgram } from './webgpu-program';

/**
 * FlashAttention-2 backward, dKey and dValue. Inputs as {@link AttentionDQueryProgram}. One
 * workgroup per block of `threads` key rows of one (batch, head); each invocation owns one key
 * row (k, v and both accumulators in registers) and walks the query rows that can see it in
 * shared tiles of queries, dO and [lse, δ], recomputing p_ij from the log-sum-exp:
 * dV_j = Σ_i p_ij dO_i, dK_j = scale · Σ_i p_ij (dO_i·v_j − δ_i) q_i.
 * Output (`part` 'packed'): one flat buffer, dK (B, H, S, D) followed by dV (B, H, S, D); part
 * 'dKey' or 'dValue' writes only that tensor, for when the packed buffer would exceed
 * `maxStorageBufferBindingSize` (the work is then done twice).
 */
export type KeyValuePart = 'packed' | 'dKey' | 'dValue';

/** @see KeyValuePart */
export class AttentionDKeyValueProgram implements WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['Q', 'K', 'V', 'M', 'dO', 'stats'];
  workgroupSize: [number, number, number];
  uniforms = ATTENTION_UNIFORMS;
  private readonly depth: number;

  constructor(
    keyShape: number[],
    private readonly tiles: AttentionTiles,
    private readonly part: KeyValuePart = 'packed',
  ) {
    const [batch = 1, heads = 1, keyLength = 1, depth = 1] = keyShape;
    this.outputShape = part === 'packed' ? [2 * batch * heads * keyLength * depth] : keyShape;
    this.workgroupSize = [tiles.threads, 1, 1];
    this.dispatch = [Math.max(1, batch * heads * Math.ceil(keyLength / tiles.threads)), 1, 1];
    this.shaderKey = `heedAttentionDKeyValue_${depth}_${tiles.threads}_${tiles.tile}_${tiles.shared}_${part}`;
    this.depth = depth;
  }

  getUserCode(): string {
    const { depth } = this;
    const { threads, tile, shared } = this.tiles;
    const vector = vectorLayout(depth);
    const { type, arrayLength } = vector;
    const queryAt = shared ? 'tileQ[ii * DV + d]' : 'heedLoadQ(qBase + (i0 + ii) * D + d * W)';
    const gradAt = shared ? 'tileG[ii * DV + d]' : 'heedLoadDO(qBase + (i0 + ii) * D + d * W)';
    const statAt = (k: number) => (shared ? `tileS[ii * 2 + ${k}]` : `stats[(slice * T + i0 + ii) * 2 + ${k}]`);
    return `
      const D = ${depth};
      const W = ${vector.width};
      const DV = ${vector.count};
      const BC = ${threads};
      const BR = ${tile};
      ${
        shared
          ? `var<workgroup> tileQ : array<${type}, ${tile * arrayLength}>;
      var<workgroup> tileG : array<${type}, ${tile * arrayLength}>;
      var<workgroup> tileS : array<f32, ${tile * 2}>;`
          : ''
      }
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
        let blocks = (S + BC - 1) / BC;
        if (tid == 0) {
          let linear = heedWorkgroupLinear();
          let slice = linear / max(blocks, 1);
          let c0 = (linear - slice * blocks) * BC;
          if (slice >= slices || S == 0) {
            plan = vec4<i32>(-1, 0, 0, 0);
          } else {
            let range = heedQueryRange(c0, min(c0 + BC, S) - 1, T);
            plan = vec4<i32>(slice, c0, range.x, range.y);
          }
        }
        let p = workgroupUniformLoad(&plan);
        if (p.x < 0) { return; }
        let slice = p.x;
        let b = slice / H;
        let h = slice - b * H;
        let j = p.y + tid;
        let colValid = j < S;
        let keyRow = slice * S + j;
        let qBase = slice * T * D;

        var k : array<${type}, ${arrayLength}>;
        var v : array<${type}, ${arrayLength}>;
        var dk : array<${type}, ${arrayLength}>;
        var dv : array<${type}, ${arrayLength}>;
        if (colValid) {
          for (var d = 0; d < DV; d++) {
            k[d] = heedLoadK(keyRow * D + d * W) * uniforms.scale;
            v[d] = heedLoadV(keyRow * D + d * W);
          }
        }

        for (var i0 = p.z; i0 < p.w; i0 += BR) {
          let count = min(BR, p.w - i0);
          ${
            shared
              ? `workgroupBarrier();
          for (var e = tid; e < count * DV; e += BC) {
            tileQ[e] = heedLoadQ(qBase + i0 * D + e * W);
            tileG[e] = heedLoadDO(qBase + i0 * D + e * W);
          }
          for (var e = tid; e < count * 2; e += BC) {
            tileS[e] = stats[(slice * T + i0) * 2 + e];
          }
          workgroupBarrier();`
              : ''
          }
          if (colValid) {
            for (var ii = 0; ii < count; ii++) {
              let lse = ${statAt(0)};
              if ((lse > ${NEGATIVE} || lse != lse) && heedVisible(b, h, i0 + ii, j)) {
                var score = 0.0;
                var dp = 0.0;
                for (var d = 0; d < DV; d++) {
                  score += heedDot(${queryAt}, k[d]);
                  dp += heedDot(${gradAt}, v[d]);
                }
                let pij = exp(score - lse);
                let ds = pij * (dp - ${statAt(1)});
                for (var d = 0; d < DV; d++) {
                  dv[d] += pij * ${gradAt};
                  dk[d] += ds * ${queryAt};
                }
              }
            }
          }
        }

        if (colValid) {
          let half = ${this.part === 'packed' ? 'slices * S * D' : '0'};
          for (var d = 0; d < DV; d++) {
            ${this.part === 'dValue' ? '' : 'heedStore(keyRow * D + d * W, dk[d] * uniforms.scale);'}
            ${this.part === 'dKey' ? '' : 'heedStore(half + keyRow * D + d * W, dv[d]);'}
          }
        }
      }
    `;
  }
}
