import type { AttentionTiles } from './attention-tiles';
import { vectorHelpersWgsl, vectorLayout } from './attention-vector-wgsl';
import { ATTENTION_UNIFORMS, NEGATIVE, VISIBILITY_WGSL } from './attention-wgsl';
import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuProgram } from './webgpu-program';

/**
 * FlashAttention forward in WGSL. Inputs `Q` (B, H, T, D), `K`, `V` (B, H, S, D), `M` (rank-4
 * 0/1 mask, broadcast). One workgroup per block of `threads` query rows of one (batch, head);
 * each invocation owns one query row (q and its output accumulator in registers, as vec4 when
 * D % 4 = 0) and walks the visible keys in tiles of `tile` rows that the workgroup stages in
 * shared memory, keeping an online softmax (running max and sum). No (T×S) buffer exists.
 *
 * Output (`part` 'packed'): one flat buffer, the (B, H, T, D) attention output followed by the
 * (B, H, T) row log-sum-exp of the scaled, masked scores (−∞ for a row that sees no key; its
 * output is 0). Part 'output' or 'logSumExp' writes only that tensor, for when the packed
 * buffer would exceed `maxStorageBufferBindingSize` (the work is then done twice).
 */
export type ForwardPart = 'packed' | 'output' | 'logSumExp';

/** @see ForwardPart */
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
    private readonly part: ForwardPart = 'packed',
  ) {
    const { batch, heads, queryLength, depth } = shape;
    const rows = batch * heads * queryLength;
    const shapes: Record<ForwardPart, number[]> = {
      packed: [rows * (depth + 1)],
      output: [batch, heads, queryLength, depth],
      logSumExp: [batch, heads, queryLength],
    };
    this.outputShape = shapes[part];
    this.workgroupSize = [tiles.threads, 1, 1];
    const blocks = batch * heads * Math.ceil(queryLength / tiles.threads);
    this.dispatch = [Math.max(1, blocks), 1, 1];
    this.shaderKey = `heedAttentionForward_${depth}_${tiles.threads}_${tiles.tile}_${tiles.shared}_${part}`;
  }

  getUserCode(): string {
    const { depth } = this.shape;
    const { threads, tile, shared } = this.tiles;
    const vector = vectorLayout(depth);
    const { type, arrayLength } = vector;
    const keyAt = shared ? 'tileK[jj * DV + d]' : 'heedLoadK(kvBase + (j0 + jj) * D + d * W)';
    const valueAt = shared ? 'tileV[jj * DV + d]' : 'heedLoadV(kvBase + (j0 + jj) * D + d * W)';
    const { part } = this;
    const writeOutput = (value: string) => (part === 'logSumExp' ? '' : `for (var d = 0; d < DV; d++) { heedStore(row * D + d * W, ${value}); }`);
    const writeLse = (value: string) => (part === 'output' ? '' : `result[${part === 'packed' ? 'slices * T * D + row' : 'row'}] = ${value};`);
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
      ${vectorHelpersWgsl(vector, ['Q', 'K', 'V'])}

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

        var q : array<${type}, ${arrayLength}>;
        var acc : array<${type}, ${arrayLength}>;
        var s : array<f32, ${tile}>;
        if (rowValid) {
          for (var d = 0; d < DV; d++) { q[d] = heedLoadQ(row * D + d * W) * uniforms.scale; }
        }
        var m = ${NEGATIVE};
        var l = 0.0;
        var poisoned = false; // a visible NaN score makes the row NaN, as on cpu and wasm

        for (var j0 = p.z; j0 < p.w; j0 += BC) {
          let count = min(BC, p.w - j0);
          ${
            shared
              ? `workgroupBarrier();
          for (var e = tid; e < count * DV; e += BR) {
            tileK[e] = heedLoadK(kvBase + j0 * D + e * W);
            tileV[e] = heedLoadV(kvBase + j0 * D + e * W);
          }
          workgroupBarrier();`
              : ''
          }
          if (rowValid) {
            var tileMax = ${NEGATIVE};
            for (var jj = 0; jj < count; jj++) {
              var score = ${NEGATIVE};
              if (heedVisible(b, h, i, j0 + jj)) {
                var dotted = 0.0;
                for (var d = 0; d < DV; d++) { dotted += heedDot(q[d], ${keyAt}); }
                score = dotted;
                if (dotted != dotted) { poisoned = true; }
                tileMax = max(tileMax, score);
              }
              s[jj] = score;
            }
            if (tileMax > ${NEGATIVE}) {
              let mNew = max(m, tileMax);
              let correction = exp(m - mNew);
              l *= correction;
              for (var d = 0; d < DV; d++) { acc[d] *= correction; }
              for (var jj = 0; jj < count; jj++) {
                if (s[jj] > ${NEGATIVE}) {
                  let w = exp(s[jj] - mNew);
                  l += w;
                  for (var d = 0; d < DV; d++) { acc[d] += w * ${valueAt}; }
                }
              }
              m = mNew;
            }
          }
        }

        if (rowValid) {
          if (poisoned) {
            ${writeOutput(`${type}(uniforms.NAN)`)}
            ${writeLse('uniforms.NAN')}
          } else if (l > 0.0) {
            ${writeOutput('acc[d] / l')}
            ${writeLse('m + log(l)')}
          } else {
            ${writeOutput(`${type}(0.0)`)}
            ${writeLse('-uniforms.INFINITY')}
          }
        }
      }
    `;
  }
}
