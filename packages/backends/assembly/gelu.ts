// The exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)), and its derivative Φ(x) + x·φ(x), four lanes at a
// time. erf is Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, the formula tfjs' cpu Erf uses):
// erf(z) = 1 − t·P(t)·e^(−z²) with t = 1/(1 + p·|z|) for z ≥ 0, odd in z. 1 + erf(z) is formed
// without cancellation for z < 0 (t·P(t)·e^(−z²) directly), and e^(−z²) = e^(−x²/2) is shared with
// φ(x) in the derivative. NaN in gives NaN out.
import { expF32x4 } from './vector-exp';
import { madd } from './vector-fma';

// @ts-ignore: decorator
@inline const P: f32 = 0.3275911;
// @ts-ignore: decorator
@inline const A1: f32 = 0.254829592;
// @ts-ignore: decorator
@inline const A2: f32 = -0.284496736;
// @ts-ignore: decorator
@inline const A3: f32 = 1.421413741;
// @ts-ignore: decorator
@inline const A4: f32 = -1.453152027;
// @ts-ignore: decorator
@inline const A5: f32 = 1.061405429;
// @ts-ignore: decorator
@inline const SQRT_HALF: f32 = 0.7071067811865476;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI: f32 = 0.3989422804014327;

/** e^(−x²/2) of four lanes. */
// @ts-ignore: decorator
@inline
function gaussian(x: v128): v128 {
  return expF32x4(f32x4.mul(f32x4.mul(x, x), f32x4.splat(-0.5)));
}

/** 1 + erf(x/√2) of four lanes, given e = gaussian(x). */
// @ts-ignore: decorator
@inline
function onePlusErf(x: v128, e: v128): v128 {
  const z = f32x4.abs(f32x4.mul(x, f32x4.splat(SQRT_HALF)));
  const t = f32x4.div(f32x4.splat(1), madd(z, f32x4.splat(P), f32x4.splat(1)));
  let poly = f32x4.splat(A5);
  poly = madd(poly, t, f32x4.splat(A4));
  poly = madd(poly, t, f32x4.splat(A3));
  poly = madd(poly, t, f32x4.splat(A2));
  poly = madd(poly, t, f32x4.splat(A1));
  const tail = f32x4.mul(f32x4.mul(poly, t), e); // 1 − erf(|z|)
  // x < 0: 1 + erf = tail; else 2 − tail (NaN lanes: tail is NaN either way)
  return v128.bitselect(tail, f32x4.sub(f32x4.splat(2), tail), f32x4.lt(x, f32x4.splat(0)));
}

/** y[i] = gelu(x[i]) for i < count (tail lanes one at a time). */
export function geluForward(x: usize, y: usize, count: i32): void {
  const half = f32x4.splat(0.5);
  const vectorBytes = <usize>(count & ~3) << 2;
  for (let at: usize = 0; at < vectorBytes; at += 16) {
    const v = v128.load(x + at);
    v128.store(y + at, f32x4.mul(f32x4.mul(v, half), onePlusErf(v, gaussian(v))));
  }
  for (let at = vectorBytes; at < (<usize>count << 2); at += 4) {
    const v = f32x4.splat(load<f32>(x + at));
    store<f32>(y + at, f32x4.extract_lane(f32x4.mul(f32x4.mul(v, half), onePlusErf(v, gaussian(v))), 0));
  }
}

/** dx[i] = dy[i]·(Φ(x[i]) + x[i]·φ(x[i])) for i < count. */
export function geluBackward(x: usize, dy: usize, dx: usize, count: i32): void {
  const half = f32x4.splat(0.5);
  const density = f32x4.splat(INV_SQRT_2PI);
  const vectorBytes = <usize>(count & ~3) << 2;
  for (let at: usize = 0; at < vectorBytes; at += 16) {
    const v = v128.load(x + at);
    const e = gaussian(v);
    const slope = madd(f32x4.mul(v, e), density, f32x4.mul(onePlusErf(v, e), half));
    v128.store(dx + at, f32x4.mul(v128.load(dy + at), slope));
  }
  for (let at = vectorBytes; at < (<usize>count << 2); at += 4) {
    const v = f32x4.splat(load<f32>(x + at));
    const e = gaussian(v);
    const slope = madd(f32x4.mul(v, e), density, f32x4.mul(onePlusErf(v, e), half));
    store<f32>(dx + at, load<f32>(dy + at) * f32x4.extract_lane(slope, 0));
  }
}
