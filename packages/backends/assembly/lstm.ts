// A whole LSTM sequence per call, forward and backward (backpropagation through time), on
// time-major float32 arrays: gates i | f | g | o, c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c').
// The recurrent product of each step runs on the packed GEMM; gate math is 4 lanes at a time, so
// units must be a multiple of 4. Rows whose mask is 0 keep their state and output 0, as the
// composite path (`state + mask·(next − state)`, `h·mask`) does for 0/1 masks.

import { matMul, matMulScratchFloats } from './gemm';
import { expF32x4 } from './vector-exp';
import { madd } from './vector-fma';

// @ts-ignore: decorator
@inline
function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), expF32x4(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function tanh4(x: v128): v128 {
  // tanh(x) = 2σ(2x) − 1
  return madd(f32x4.splat(2.0), sigmoid4(f32x4.add(x, x)), f32x4.splat(-1.0));
}

/** Scratch floats lstmForward and lstmBackward need for batch, units. */
export function lstmScratchFloats(batch: i32, units: i32): i32 {
  return max(matMulScratchFloats(batch, 4 * units), matMulScratchFloats(batch, units));
}

/**
 * zx (T, B, 4U): input projections (bias included); w (U, 4U); mask (T, B); h0, c0 (B, U).
 * Writes hs, cs (T, B, U): the state after each step; acts (T, B, 4U): σ(i), σ(f), tanh(g), σ(o);
 * ys (T, B, U): outputs (h, 0 where masked). With reverse ≠ 0 steps run from t = T − 1 down.
 */
export function lstmForward(time: i32, batch: i32, units: i32, reverse: i32, zx: usize, w: usize, mask: usize, h0: usize, c0: usize, hs: usize, cs: usize, acts: usize, ys: usize, scratch: usize): void {
  const gates = 4 * units;
  const stateBytes = <usize>(batch * units) << 2;
  const gateBytes = <usize>(batch * gates) << 2;
  const unitBytes = <usize>units << 2;
  let hPrev = h0;
  let cPrev = c0;
  for (let s = 0; s < time; s++) {
    const t = reverse ? time - 1 - s : s;
    const z = acts + <usize>t * gateBytes;
    memory.copy(z, zx + <usize>t * gateBytes, gateBytes);
    matMul(hPrev, units, 1, w, gates, 1, z, batch, gates, units, scratch); // z += h·W
    const hOut = hs + <usize>t * stateBytes;
    const cOut = cs + <usize>t * stateBytes;
    const yOut = ys + <usize>t * stateBytes;
    for (let b = 0; b < batch; b++) {
      const keep = load<f32>(mask + (<usize>(t * batch + b) << 2)) != 0;
      const zRow = z + (<usize>(b * gates) << 2);
      const row = <usize>(b * units) << 2;
      for (let u = 0; u < units; u += 4) {
        const at = row + (<usize>u << 2);
        const hp = v128.load(hPrev + at);
        const cp = v128.load(cPrev + at);
        if (keep) {
          const zi = zRow + (<usize>u << 2);
          const i = sigmoid4(v128.load(zi));
          const f = sigmoid4(v128.load(zi + unitBytes));
          const g = tanh4(v128.load(zi + 2 * unitBytes));
          const o = sigmoid4(v128.load(zi + 3 * unitBytes));
          v128.store(zi, i);
          v128.store(zi + unitBytes, f);
          v128.store(zi + 2 * unitBytes, g);
          v128.store(zi + 3 * unitBytes, o);
          const c = madd(f, cp, f32x4.mul(i, g));
          const h = f32x4.mul(o, tanh4(c));
          v128.store(cOut + at, c);
          v128.store(hOut + at, h);
          v128.store(yOut + at, h);
        } else {
          v128.store(cOut + at, cp);
          v128.store(hOut + at, hp);
          v128.store(yOut + at, f32x4.splat(0));
        }
      }
    }
    hPrev = hOut;
    cPrev = cOut;
  }
}

/**
 * Backpropagation through the sequence lstmForward ran. dys (T, B, U): gradients of the outputs;
 * dh, dc (B, U): on entry the gradients of the final state, on return those of h0, c0. Writes
 * dzx (T, B, 4U): the gradients of the pre-activations (= of zx; 0 where masked). The gradient
 * of w is Σₜ h₍ₜ₋₁₎ᵀ·dzₜ, left to the caller as one GEMM over all steps.
 */
export function lstmBackward(time: i32, batch: i32, units: i32, reverse: i32, w: usize, mask: usize, c0: usize, cs: usize, acts: usize, dys: usize, dh: usize, dc: usize, dzx: usize, scratch: usize): void {
  const gates = 4 * units;
  const stateBytes = <usize>(batch * units) << 2;
  const gateBytes = <usize>(batch * gates) << 2;
  const unitBytes = <usize>units << 2;
  const one = f32x4.splat(1.0);
  for (let s = time - 1; s >= 0; s--) {
    const t = reverse ? time - 1 - s : s;
    const cPrev = s == 0 ? c0 : cs + <usize>(reverse ? t + 1 : t - 1) * stateBytes;
    const cNow = cs + <usize>t * stateBytes;
    const a = acts + <usize>t * gateBytes;
    const dz = dzx + <usize>t * gateBytes;
    const dy = dys + <usize>t * stateBytes;
    for (let b = 0; b < batch; b++) {
      const keep = load<f32>(mask + (<usize>(t * batch + b) << 2)) != 0;
      const row = <usize>(b * units) << 2;
      const gateRow = <usize>(b * gates) << 2;
      for (let u = 0; u < units; u += 4) {
        const at = row + (<usize>u << 2);
        const gi = gateRow + (<usize>u << 2);
        if (!keep) {
          // the state passed through this step: its gradient flows on unchanged; no gate gradient
          v128.store(dz + gi, f32x4.splat(0));
          v128.store(dz + gi + unitBytes, f32x4.splat(0));
          v128.store(dz + gi + 2 * unitBytes, f32x4.splat(0));
          v128.store(dz + gi + 3 * unitBytes, f32x4.splat(0));
          continue;
        }
        const dhv = f32x4.add(v128.load(dh + at), v128.load(dy + at));
        const i = v128.load(a + gi);
        const f = v128.load(a + gi + unitBytes);
        const g = v128.load(a + gi + 2 * unitBytes);
        const o = v128.load(a + gi + 3 * unitBytes);
        const tc = tanh4(v128.load(cNow + at));
        const dcv = madd(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc)), v128.load(dc + at));
        const dOut = f32x4.mul(dhv, tc);
        v128.store(dz + gi, f32x4.mul(f32x4.mul(dcv, g), f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(dz + gi + unitBytes, f32x4.mul(f32x4.mul(dcv, v128.load(cPrev + at)), f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(dz + gi + 2 * unitBytes, f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(dz + gi + 3 * unitBytes, f32x4.mul(dOut, f32x4.mul(o, f32x4.sub(one, o))));
        v128.store(dc + at, f32x4.mul(dcv, f));
        v128.store(dh + at, f32x4.splat(0));
      }
    }
    matMul(dz, gates, 1, w, 1, gates, dh, batch, units, gates, scratch); // dh += dz·Wᵀ (masked rows: dz = 0)
  }
}
