import { simdHeap } from '../kernels/wasm-simd/load-simd-kernels';

/** One LSTM sequence problem, time-major: see {@link LstmCores}. */
export interface LstmProblem {
  time: number;
  batch: number;
  units: number;
  reverse: boolean;
  /** (T, B, 4U) input projections, bias included; gates i | f | g | o. */
  zx: Float32Array;
  /** (U, 4U) recurrent kernel. */
  w: Float32Array;
  /** (T, B) 1 = real step, 0 = padding (state kept, output 0). */
  mask: Float32Array;
  /** (B, U) initial state. */
  h0: Float32Array;
  c0: Float32Array;
}

/** What the forward pass keeps for the backward one. */
export interface LstmForwardResult {
  /** (T, B, U) h and c after each step. */
  hs: Float32Array;
  cs: Float32Array;
  /** (T, B, 4U) σ(i), σ(f), tanh(g), σ(o). */
  acts: Float32Array;
  /** (T, B, U) outputs: h, or 0 where masked. */
  ys: Float32Array;
}

/** Gradients of the pre-activations and of the initial state. */
export interface LstmBackwardResult {
  /** (T, B, 4U) gradient of zx (0 where masked). */
  dzx: Float32Array;
  /** (B, U) gradients of h0 and c0. */
  dh0: Float32Array;
  dc0: Float32Array;
}

/** An implementation of the LSTM sequence recurrence (forward and backpropagation through time). */
export interface LstmCores {
  name: 'simd' | 'js';
  forward(problem: LstmProblem): LstmForwardResult;
  /** `dys (T, B, U)`: output gradients; `dhT`, `dcT (B, U)`: gradients of the final state. */
  backward(problem: LstmProblem, saved: LstmForwardResult, dys: Float32Array, dhT: Float32Array, dcT: Float32Array): LstmBackwardResult;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The scalar JavaScript recurrence: the reference the SIMD core is tested against, and the core on other backends. */
export const JS_LSTM_CORES: LstmCores = {
  name: 'js',
  forward({ time, batch, units, reverse, zx, w, mask, h0, c0 }) {
    const gates = 4 * units;
    const hs = new Float32Array(time * batch * units);
    const cs = new Float32Array(time * batch * units);
    const acts = new Float32Array(time * batch * gates);
    const ys = new Float32Array(time * batch * units);
    const z = new Float64Array(gates);
    let hPrev = h0;
    let cPrev = c0;
    let prevBase = 0;
    for (let s = 0; s < time; s++) {
      const t = reverse ? time - 1 - s : s;
      for (let b = 0; b < batch; b++) {
        const base = (t * batch + b) * units;
        const from = s === 0 ? b * units : prevBase + b * units;
        if (mask[t * batch + b] === 0) {
          for (let u = 0; u < units; u++) {
            hs[base + u] = hPrev[from + u]!;
            cs[base + u] = cPrev[from + u]!;
          }
          continue;
        }
        const zRow = (t * batch + b) * gates;
        for (let j = 0; j < gates; j++) z[j] = zx[zRow + j]!;
        for (let k = 0; k < units; k++) {
          const h = hPrev[from + k]!;
          if (h === 0) continue;
          const wRow = k * gates;
          for (let j = 0; j < gates; j++) z[j]! += h * w[wRow + j]!;
        }
        for (let u = 0; u < units; u++) {
          const i = sigmoid(z[u]!);
          const f = sigmoid(z[units + u]!);
          const g = Math.tanh(z[2 * units + u]!);
          const o = sigmoid(z[3 * units + u]!);
          acts[zRow + u] = i;
          acts[zRow + units + u] = f;
          acts[zRow + 2 * units + u] = g;
          acts[zRow + 3 * units + u] = o;
          const c = f * cPrev[from + u]! + i * g;
          cs[base + u] = c;
          hs[base + u] = ys[base + u] = o * Math.tanh(c);
        }
      }
      hPrev = hs;
      cPrev = cs;
      prevBase = t * batch * units;
    }
    return { hs, cs, acts, ys };
  },
  backward({ time, batch, units, reverse, w, mask, c0 }, { cs, acts }, dys, dhT, dcT) {
    const gates = 4 * units;
    const dzx = new Float32Array(time * batch * gates);
    const dh = Float32Array.from(dhT);
    const dc = Float32Array.from(dcT);
    for (let s = time - 1; s >= 0; s--) {
      const t = reverse ? time - 1 - s : s;
      const prev = reverse ? t + 1 : t - 1;
      for (let b = 0; b < batch; b++) {
        if (mask[t * batch + b] === 0) continue; // the state passed through: dh, dc flow on unchanged
        const base = (t * batch + b) * units;
        const zRow = (t * batch + b) * gates;
        const cPrev = s === 0 ? c0 : cs;
        const from = s === 0 ? b * units : (prev * batch + b) * units;
        for (let u = 0; u < units; u++) {
          const i = acts[zRow + u]!;
          const f = acts[zRow + units + u]!;
          const g = acts[zRow + 2 * units + u]!;
          const o = acts[zRow + 3 * units + u]!;
          const dhv = dh[b * units + u]! + dys[base + u]!;
          const tc = Math.tanh(cs[base + u]!);
          const dcv = dc[b * units + u]! + dhv * o * (1 - tc * tc);
          dzx[zRow + u] = dcv * g * i * (1 - i);
          dzx[zRow + units + u] = dcv * cPrev[from + u]! * f * (1 - f);
          dzx[zRow + 2 * units + u] = dcv * i * (1 - g * g);
          dzx[zRow + 3 * units + u] = dhv * tc * o * (1 - o);
          dc[b * units + u] = dcv * f;
        }
        for (let k = 0; k < units; k++) {
          const wRow = k * gates;
          let sum = 0;
          for (let j = 0; j < gates; j++) sum += dzx[zRow + j]! * w[wRow + j]!;
          dh[b * units + k] = sum; // dz·Wᵀ
        }
      }
    }
    return { dzx, dh0: dh, dc0: dc };
  },
};

/** The WebAssembly SIMD cores when heed's module is loaded and `units` is a multiple of 4, else undefined. */
export function simdLstmCores(units: number): LstmCores | undefined {
  const heap = simdHeap();
  if (!heap || units % 4 !== 0) return undefined;
  const { exports } = heap;
  return {
    name: 'simd',
    forward({ time, batch, units: u, reverse, zx, w, mask, h0, c0 }) {
      const state = time * batch * u;
      heap.reset();
      const at = {
        zx: heap.copyIn(zx),
        w: heap.copyIn(w),
        mask: heap.copyIn(mask),
        h0: heap.copyIn(h0),
        c0: heap.copyIn(c0),
        hs: heap.reserve(state),
        cs: heap.reserve(state),
        acts: heap.reserve(zx.length),
        ys: heap.reserve(state),
        scratch: heap.reserve(exports.lstmScratchFloats(batch, u)),
      };
      exports.lstmForward(time, batch, u, reverse ? 1 : 0, at.zx, at.w, at.mask, at.h0, at.c0, at.hs, at.cs, at.acts, at.ys, at.scratch);
      return { hs: heap.view(at.hs, state).slice(), cs: heap.view(at.cs, state).slice(), acts: heap.view(at.acts, zx.length).slice(), ys: heap.view(at.ys, state).slice() };
    },
    backward({ time, batch, units: u, reverse, w, mask, c0 }, { cs, acts }, dys, dhT, dcT) {
      heap.reset();
      const at = {
        w: heap.copyIn(w),
        mask: heap.copyIn(mask),
        c0: heap.copyIn(c0),
        cs: heap.copyIn(cs),
        acts: heap.copyIn(acts),
        dys: heap.copyIn(dys),
        dh: heap.copyIn(dhT),
        dc: heap.copyIn(dcT),
        dzx: heap.reserve(acts.length),
        scratch: heap.reserve(exports.lstmScratchFloats(batch, u)),
      };
      exports.lstmBackward(time, batch, u, reverse ? 1 : 0, at.w, at.mask, at.c0, at.cs, at.acts, at.dys, at.dh, at.dc, at.dzx, at.scratch);
      return { dzx: heap.view(at.dzx, acts.length).slice(), dh0: heap.view(at.dh, dhT.length).slice(), dc0: heap.view(at.dc, dcT.length).slice() };
    },
  };
}
