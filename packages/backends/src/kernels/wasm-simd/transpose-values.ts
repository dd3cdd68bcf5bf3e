type Values = Float32Array | Int32Array | Uint8Array;

/**
 * The same permutation with size-1 axes dropped and axes that stay adjacent merged, e.g.
 * shape (32, 64, 3, 4, 64) perm [2, 0, 3, 1, 4] stays as is, (8, 1, 5) perm [2, 1, 0] becomes
 * (8, 5) perm [1, 0].
 */
export function canonicalTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // drop size-1 axes, renumbering the rest in input order
  const keptAxes = shape.map((size, axis) => (size === 1 ? -1 : axis)).filter((axis) => axis >= 0);
  const compactShape = keptAxes.map((axis) => shape[axis] as number);
  const compactPerm = perm.filter((axis) => shape[axis] !== 1).map((axis) => keptAxes.indexOf(axis));
  // groups of input axes that appear consecutively, in order, in the output
  const groups: number[][] = [];
  for (const axis of compactPerm) {
    const group = groups[groups.length - 1];
    if (group && group[group.length - 1] === axis - 1) group.push(axis);
    else groups.push([axis]);
  }
  const byInputOrder = [...groups].sort((a, b) => (a[0] as number) - (b[0] as number));
  const mergedShape = byInputOrder.map((group) => group.reduce((size, axis) => size * (compactShape[axis] as number), 1));
  const mergedPerm = groups.map((group) => byInputOrder.indexOf(group));
  return { shape: mergedShape, perm: mergedPerm };
}

/** Blocked 2-D transpose: output (cols, rows) from input (rows, cols). */
function transpose2d(input: Values, output: Values, rows: number, cols: number): void {
  const block = 32;
  for (let r0 = 0; r0 < rows; r0 += block)
    for (let c0 = 0; c0 < cols; c0 += block) {
      const rEnd = Math.min(rows, r0 + block);
      const cEnd = Math.min(cols, c0 + block);
      for (let c = c0; c < cEnd; c++) {
        let to = c * rows + r0;
        for (let r = r0; r < rEnd; r++) output[to++] = input[r * cols + c] as number;
      }
    }
}

/**
 * output = transpose(input, perm) for a row-major `shape`: contiguous inner runs are block-copied,
 * a moving last axis is transposed in 32×32 blocks (2-D) or gathered with its stride.
 */
export function transposeValues(input: Values, output: Values, shape: readonly number[], perm: readonly number[]): void {
  const canonical = canonicalTranspose(shape, perm);
  const rank = canonical.shape.length;
  if (rank <= 1) {
    output.set(input.subarray(0, output.length));
    return;
  }
  if (rank === 2) {
    transpose2d(input, output, canonical.shape[0] as number, canonical.shape[1] as number);
    return;
  }
  const inputStrides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) inputStrides[axis] = (inputStrides[axis + 1] as number) * (canonical.shape[axis + 1] as number);
  const outShape = canonical.perm.map((axis) => canonical.shape[axis] as number);
  const strides = canonical.perm.map((axis) => inputStrides[axis] as number); // input stride per output axis
  const inner = outShape[rank - 1] as number;
  const innerStride = strides[rank - 1] as number;
  const index = new Array<number>(rank - 1).fill(0);
  let from = 0;
  for (let to = 0; to < output.length; to += inner) {
    if (innerStride === 1) output.set(input.subarray(from, from + inner), to);
    else for (let k = 0, at = from; k < inner; k++, at += innerStride) output[to + k] = input[at] as number;
    // advance the odometer over output axes rank-2 .. 0
    for (let axis = rank - 2; axis >= 0; axis--) {
      from += strides[axis] as number;
      const next = (index[axis] as number) + 1;
      if (next < (outShape[axis] as number)) {
        index[axis] = next;
        break;
      }
      from -= (strides[axis] as number) * next;
      index[axis] = 0;
    }
  }
}
