import type { FusedAttentionAttrs } from '../../fused/fused-attention-kernel';
import type { ProgramUniform } from './webgpu-program';

/** Uniform fields every attention program declares (after tfjs' shape uniforms). */
export const ATTENTION_UNIFORMS = 'scale : f32, causal : i32, band : i32,';

/** The values of {@link ATTENTION_UNIFORMS} for one call. */
export function attentionUniforms(attrs: FusedAttentionAttrs): ProgramUniform[] {
  return [
    { type: 'float32', data: [attrs.scale] },
    { type: 'int32', data: [attrs.causal ? 1 : 0] },
    { type: 'int32', data: [attrs.window >= 0 ? attrs.window : -1] },
  ];
}

/** Below this a score or log-sum-exp means "nothing visible" (finite stand-in for −∞). */
export const NEGATIVE = '-3.0e38';

/**
 * WGSL shared by the attention programs (expects inputs named `M` for the mask): which key j a
 * query i may see (mask broadcast through zero strides, causal, window), and the key/query
 * ranges a block of rows can see at all, so whole tiles outside the band are skipped.
 */
export const VISIBILITY_WGSL = `
  fn heedVisible(b : i32, h : i32, i : i32, j : i32) -> bool {
    if (uniforms.causal != 0 && j > i) { return false; }
    if (uniforms.band >= 0 && abs(i - j) > uniforms.band) { return false; }
    let ms = uniforms.mShape;
    let sw = select(1, 0, ms.w == 1);
    let sz = select(ms.w, 0, ms.z == 1);
    let sy = select(ms.z * ms.w, 0, ms.y == 1);
    let sx = select(ms.y * ms.z * ms.w, 0, ms.x == 1);
    return f32(M[b * sx + h * sy + i * sz + j * sw]) != 0.0;
  }

  // Keys [x, y) that query rows r0..r1 (inclusive) may see.
  fn heedKeyRange(r0 : i32, r1 : i32, keys : i32) -> vec2<i32> {
    var first = 0;
    var end = keys;
    if (uniforms.causal != 0) { end = min(end, r1 + 1); }
    if (uniforms.band >= 0) {
      first = max(first, r0 - uniforms.band);
      end = min(end, r1 + uniforms.band + 1);
    }
    return vec2<i32>(first, end);
  }

  // Query rows [x, y) that see any of keys c0..c1 (inclusive).
  fn heedQueryRange(c0 : i32, c1 : i32, queries : i32) -> vec2<i32> {
    var first = 0;
    var end = queries;
    if (uniforms.causal != 0) { first = max(first, c0); }
    if (uniforms.band >= 0) {
      first = max(first, c0 - uniforms.band);
      end = min(end, c1 + uniforms.band + 1);
    }
    return vec2<i32>(first, end);
  }
`;
