// Column sums of a row-major (outer × inner) float32 block, accumulated in float64 two lanes at a
// time: the leading-axes Sum of the wasm backend (bias gradients: a sum over batch and time). Row
// by row, in the order of the JavaScript reference (sumLeadingRows in leading-axes-sum.ts), so the
// float64 sums and their float32 rounding are the same bit for bit.

/**
 * out[j] = f32(Σ_i values[i·inner + j]) for j < inner, summed in float64 in `sums` (inner float64
 * scratch, 16-byte aligned).
 */
export function sumLeadingRows(values: usize, outer: i32, inner: i32, sums: usize, out: usize): void {
  memory.fill(sums, 0, <usize>inner << 3);
  const quads = inner & ~3;
  const rowBytes = <usize>inner << 2;
  for (let row = 0; row < outer; row++) {
    const from = values + <usize>row * rowBytes;
    for (let j = 0; j < quads; j += 4) {
      const x = v128.load(from + (<usize>j << 2));
      const at = sums + (<usize>j << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(x)));
      v128.store(at, f64x2.add(v128.load(at, 16), f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1))), 16);
    }
    for (let j = quads; j < inner; j++) {
      const at = sums + (<usize>j << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(from + (<usize>j << 2)));
    }
  }
  for (let j = 0; j < inner; j++) store<f32>(out + (<usize>j << 2), <f32>load<f64>(sums + (<usize>j << 3)));
}
