import type { AttentionTiles } from './attention-tiles';
import { ATTENTION_UNIFORMS, NEGATIVE, VISIBILITY_WGSL } from './attention-wgsl';
import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuProgram } from './webgpu-program';

/**
 * FlashAttention forward in WGSL. Inputs `Q` (B, H, T, D), `K`, `V` (B, H, S, D), `M` (rank-4
 * 0/1 mask, broadcast). One workgroup per block of `threads` query rows of one (batch, head);
 * each invocation owns one query row (q and its output accumulator in registers) and walks the
 * visible keys in tiles of `tile` rows that the workgroup stages in shared memory, keeping an
 * online softmax (running max and sum). No (T×S) buffer exists anywhere.
 *
 * Output: one flat buffer, the (B, H, T, D) attention output followed by the (B, H, T) row
 * log-sum-exp of the scaled, masked scores (−∞ for a row that sees no key; its output is 0).
 */
export class AttentionForwardProgram implements WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['Q', 'K', 'V', 'M'];
  workgroupSize: [number, number, number];
  uniforms = ATTENTION_UNIFORMS;

  constructor(
    private readonly shape: { batch: number; heads: number; queryLength: number; depth: number },
    private readonly tiles: AttentionTiles,
  ) {
    const { batch, heads, queryLength, depth } = shape;
    const rows = batch * heads * queryLength;
    this.outputShape = [rows * (depth + 1)];
    this.workgroupSize = [tiles.threads, 1, 1];
    const blocks = batch * heads * Math.ceil(queryLength / tiles.threads);
    this.dispatch = [Math.max(1, blocks), 1, 1];
    this.shaderKey = `heedAttentionForward_${depth}_${tiles.threads}_${tiles.tile}_${tiles.shared}`;
  }

  getUserCode(): string {
    const { depth } = this.shape;
    const { threads, tile, shared } = this.tiles;
    const D = Math.max(depth, 1);
    const keyAt = shared ? 'tileK[jj * D + d]' : 'K[kvBase + (j0 + jj) * D + d]';
    const valueAt = shared ? 'tileV[jj * D + d]' : 'V[kvBase + (j0 + jj) * D + d]';
    return `
      const D = ${depth};
      const BR = ${threads};
      const BC = ${tile};
      ${shared ? `var<workgroup> tileK : array<f32, ${tile * D}>;\n      var<workgroup> tileV : array<f32, ${tile * D}>;` : ''}
      var<workgroup> plan : vec4<i32>;
      ${WORKGROUP_LINEAR_WGSL}
      ${VISIBILITY_WGSL}

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
        let rowValid = i < T;
        let row = slice * T + i;
        let kvBase = slice * S * D;

        var q : array<f32, ${D}>;
        var acc : array<f32, ${D}>;
        var s : array<f32, ${tile}>;
        if (rowValid) {
          for (var d = 0; d < D; d++) { q[d] = Q[row * D + d] * uniforms.scale; }
        }
        var m = ${NEGATIVE};
        var l = 0.0;

        for (var j0 = p.z; j0 < p.w; j0 += BC) {
          let count = min(BC, p.w - j0);
          ${shared ? `workgroupBarrier();
          for (var e = tid; e < count * D; e += BR) {
            tileK[e] = K[kvBase + j0 * D + e];
            tileV[e] = V[kvBase + j0 * D + e];
          }
          workgroupBarrier();` : ''}
          if (rowValid) {
            var tileMax = ${NEGATIVE};
            for (var jj = 0; jj < count; jj++) {
              var score = ${NEGATIVE};
              if (heedVisible(b, h, i, j0 + jj)) {
                var dotted = 0.0;
                for (var d = 0; d < D; d++) { dotted += q[d] * ${keyAt}; }
                score = dotted;
                tileMax = max(tileMax, score);
              }
              s[jj] = score;
            }
            if (tileMax > ${NEGATIVE}) {
              let mNew = max(m, tileMax);
              let correction = exp(m - mNew);
              l *= correction;
              for (var d = 0; d < D; d++) { acc[d] *= correction; }
              for (var jj = 0; jj < count; jj++) {
                if (s[jj] > ${NEGATIVE}) {
                  let w = exp(s[jj] - mNew);
                  l += w;
                  for (var d = 0; d < D; d++) { acc[d] += w * ${valueAt}; }
                }
              }
              m = mNew;
            }
          }
        }

        if (rowValid) {
          let lseAt = slices * T * D + row;
          if (l > 0.0) {
            for (var d = 0; d < D; d++) { result[row * D + d] = acc[d] / l; }
            result[lseAt] = m + log(l);
          } else {
            for (var d = 0; d < D; d++) { result[row * D + d] = 0.0; }
            result[lseAt] = -uniforms.INFINITY;
          }
        }
      }
    `;
  }
}
