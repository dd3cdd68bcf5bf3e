// Whether a float32 array holds a NaN, four lanes at a time: lets the fused attention kernels skip
// the NaN contract's per-row scans (attention-nan-poison-js.ts) when no input holds one.

/** 1 if any of the `count` floats at `values` is NaN, else 0. */
export function hasNaN(values: usize, count: i32): i32 {
  let found = i32x4.splat(0);
  const vectorBytes = <usize>(count & ~3) << 2;
  for (let at: usize = 0; at < vectorBytes; at += 16) {
    const x = v128.load(values + at);
    found = v128.or(found, f32x4.ne(x, x));
  }
  if (v128.any_true(found)) return 1;
  for (let at = vectorBytes; at < (<usize>count << 2); at += 4) {
    const x = load<f32>(values + at);
    if (x != x) return 1;
  }
  return 0;
}
