// Layer normalization over the last axis (PyTorch's nn.LayerNorm, biased variance), one row of
// `dim` floats at a time, four lanes at a time with a scalar tail: forward in two passes over the
// row (mean, then the variance of x − mean, as tf.moments), backward recomputing mean and 1/σ:
//   x̂ = (x − mean)/σ, g = dy·γ, dx = (g − mean(g) − x̂·mean(g·x̂))/σ, dγ += dy·x̂, dβ += dy.

/** The sum of four lanes. */
// @ts-ignore: decorator
@inline
function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** [mean, 1/√(var + ε)] of one row, stored at `stats`. */
// @ts-ignore: decorator
@inline
function rowStats(row: usize, dim: i32, epsilon: f32, stats: usize): void {
  const vectorBytes = <usize>(dim & ~3) << 2;
  const bytes = <usize>dim << 2;
  let sum4 = f32x4.splat(0);
  for (let at: usize = 0; at < vectorBytes; at += 16) sum4 = f32x4.add(sum4, v128.load(row + at));
  let sum = lanes(sum4);
  for (let at = vectorBytes; at < bytes; at += 4) sum += load<f32>(row + at);
  const mean = sum / <f32>dim;
  const means = f32x4.splat(mean);
  let square4 = f32x4.splat(0);
  for (let at: usize = 0; at < vectorBytes; at += 16) {
    const centered = f32x4.sub(v128.load(row + at), means);
    square4 = f32x4.add(square4, f32x4.mul(centered, centered));
  }
  let squares = lanes(square4);
  for (let at = vectorBytes; at < bytes; at += 4) {
    const centered = load<f32>(row + at) - mean;
    squares += centered * centered;
  }
  store<f32>(stats, mean);
  store<f32>(stats, <f32>1 / Mathf.sqrt(squares / <f32>dim + epsilon), 4);
}

/** y = (x − mean)/σ·γ + β for each of `rows` rows of `dim` floats; `stats` is 2 floats of scratch. */
export function layerNormForward(x: usize, gamma: usize, beta: usize, y: usize, rows: i32, dim: i32, epsilon: f32, stats: usize): void {
  const vectorBytes = <usize>(dim & ~3) << 2;
  const bytes = <usize>dim << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    const out = y + <usize>r * bytes;
    rowStats(row, dim, epsilon, stats);
    const mean = load<f32>(stats);
    const inverse = load<f32>(stats, 4);
    const means = f32x4.splat(mean);
    const inverses = f32x4.splat(inverse);
    for (let at: usize = 0; at < vectorBytes; at += 16) {
      const normalized = f32x4.mul(f32x4.sub(v128.load(row + at), means), inverses);
      v128.store(out + at, f32x4.add(f32x4.mul(normalized, v128.load(gamma + at)), v128.load(beta + at)));
    }
    for (let at = vectorBytes; at < bytes; at += 4) {
      store<f32>(out + at, (load<f32>(row + at) - mean) * inverse * load<f32>(gamma + at) + load<f32>(beta + at));
    }
  }
}

/** dx for every row; dγ and dβ (zeroed by the caller) accumulate over the rows. */
export function layerNormBackward(x: usize, gamma: usize, dy: usize, dx: usize, dGamma: usize, dBeta: usize, rows: i32, dim: i32, epsilon: f32, stats: usize): void {
  const vectorBytes = <usize>(dim & ~3) << 2;
  const bytes = <usize>dim << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    const dyRow = dy + <usize>r * bytes;
    const dxRow = dx + <usize>r * bytes;
    rowStats(row, dim, epsilon, stats);
    const mean = load<f32>(stats);
    const inverse = load<f32>(stats, 4);
    const means = f32x4.splat(mean);
    const inverses = f32x4.splat(inverse);
    // mean(g) and mean(g·x̂), with dγ and dβ on the way
    let g4 = f32x4.splat(0);
    let gx4 = f32x4.splat(0);
    for (let at: usize = 0; at < vectorBytes; at += 16) {
      const normalized = f32x4.mul(f32x4.sub(v128.load(row + at), means), inverses);
      const d = v128.load(dyRow + at);
      const g = f32x4.mul(d, v128.load(gamma + at));
      g4 = f32x4.add(g4, g);
      gx4 = f32x4.add(gx4, f32x4.mul(g, normalized));
      v128.store(dGamma + at, f32x4.add(v128.load(dGamma + at), f32x4.mul(d, normalized)));
      v128.store(dBeta + at, f32x4.add(v128.load(dBeta + at), d));
    }
    let gSum = lanes(g4);
    let gxSum = lanes(gx4);
    for (let at = vectorBytes; at < bytes; at += 4) {
      const normalized = (load<f32>(row + at) - mean) * inverse;
      const d = load<f32>(dyRow + at);
      const g = d * load<f32>(gamma + at);
      gSum += g;
      gxSum += g * normalized;
      store<f32>(dGamma + at, load<f32>(dGamma + at) + d * normalized);
      store<f32>(dBeta + at, load<f32>(dBeta + at) + d);
    }
    const gMean = gSum / <f32>dim;
    const gxMean = gxSum / <f32>dim;
    const gMeans = f32x4.splat(gMean);
    const gxMeans = f32x4.splat(gxMean);
    for (let at: usize = 0; at < vectorBytes; at += 16) {
      const normalized = f32x4.mul(f32x4.sub(v128.load(row + at), means), inverses);
      const g = f32x4.mul(v128.load(dyRow + at), v128.load(gamma + at));
      v128.store(dxRow + at, f32x4.mul(f32x4.sub(f32x4.sub(g, gMeans), f32x4.mul(normalized, gxMeans)), inverses));
    }
    for (let at = vectorBytes; at < bytes; at += 4) {
      const normalized = (load<f32>(row + at) - mean) * inverse;
      const g = load<f32>(dyRow + at) * load<f32>(gamma + at);
      store<f32>(dxRow + at, (g - gMean - normalized * gxMean) * inverse);
    }
  }
}
