import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuProgram } from './webgpu-program';

const WORKGROUP = 64;

/**
 * First step of the attention backward pass: per query row, δ_i = dO_i · O_i next to the saved
 * log-sum-exp. Inputs `O`, `dO` (B, H, T, D) and `lse` (B, H, T); output (B·H·T, 2) pairs
 * [lse_i, δ_i] that the dQ and dK/dV programs stage together.
 */
export class AttentionRowStatsProgram implements WebGpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['O', 'dO', 'lse'];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];

  constructor(
    rows: number,
    private readonly depth: number,
  ) {
    this.outputShape = [rows, 2];
    this.dispatch = [Math.max(1, Math.ceil(rows / WORKGROUP)), 1, 1];
    this.shaderKey = `heedAttentionRowStats_${depth}`;
  }

  getUserCode(): string {
    return `
      const D = ${this.depth};
      ${WORKGROUP_LINEAR_WGSL}
      ${MAIN_HEADER} {
        let row = heedWorkgroupLinear() * ${WORKGROUP} + i32(localIndex);
        if (row >= uniforms.outShape.x) { return; }
        var delta = 0.0;
        for (var d = 0; d < D; d++) { delta += dO[row * D + d] * O[row * D + d]; }
        result[row * 2] = lse[row];
        result[row * 2 + 1] = delta;
      }
    `;
  }
}
