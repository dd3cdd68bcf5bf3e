import type { AttentionGradients } from './attention-backward-js';
import type { AttentionProblem } from './attention-problem';

function anyNaN(values: Float32Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (values[index] !== values[index]) return true;
  return false;
}

/** Per column d of a (rows, depth) block at `start`: whether any row holds NaN there. */
function nanColumns(values: Float32Array, start: number, rows: number, depth: number): boolean[] {
  const columns = new Array<boolean>(depth).fill(false);
  for (let row = 0; row < rows; row++) {
    const offset = start + row * depth;
    for (let d = 0; d < depth; d++) if (values[offset + d] !== values[offset + d]) columns[d] = true;
  }
  return columns;
}

function fill(values: Float32Array, start: number, end: number): void {
  values.fill(NaN, start, end);
}

/** Per query row of one slice: whether its scores are NaN (query row i or any key row holds a NaN). */
function scoreRows(problem: AttentionProblem, slice: number): boolean[] {
  const { queryLength, keyLength, depth, query, key } = problem;
  const keyNaN = anyNaN(key, slice * keyLength * depth, (slice + 1) * keyLength * depth);
  return Array.from({ length: queryLength }, (_, i) => keyNaN || anyNaN(query, (slice * queryLength + i) * depth, (slice * queryLength + i + 1) * depth));
}

/**
 * The NaN contract of `poisonAttentionOutput` on flat arrays, in place: what the cpu and wasm
 * kernels add to their output (the cores skip masked and causal-future keys). O((T + S)·D) per
 * slice; it finds nothing to do when no input holds a NaN. Tested against the tfjs-op version and
 * PyTorch 1.13 in attention-nan.test.ts.
 *
 * @example
 * ```ts
 * const { output, logSumExp } = cores.forward(problem);
 * poisonAttentionOutputJs(problem, output);
 * ```
 */
export function poisonAttentionOutputJs(problem: AttentionProblem, output: Float32Array): void {
  const { batch, heads, queryLength, keyLength, depth, value } = problem;
  for (let slice = 0; slice < batch * heads; slice++) {
    const rows = scoreRows(problem, slice);
    const columns = nanColumns(value, slice * keyLength * depth, keyLength, depth);
    const anyColumn = columns.includes(true);
    for (let i = 0; i < queryLength; i++) {
      const offset = (slice * queryLength + i) * depth;
      if (rows[i]) fill(output, offset, offset + depth);
      else if (anyColumn) for (let d = 0; d < depth; d++) if (columns[d]) output[offset + d] = NaN;
    }
  }
}

/**
 * The gradients' half, `poisonAttentionGradients` on flat arrays, in place (see there for the
 * rules, the dense chain rule in IEEE arithmetic).
 *
 * @example
 * ```ts
 * const gradients = cores.backward(problem, inputs);
 * poisonAttentionGradientsJs(problem, inputs.dOutput, gradients);
 * ```
 */
export function poisonAttentionGradientsJs(problem: AttentionProblem, dOutput: Float32Array, gradients: AttentionGradients): void {
  const { batch, heads, queryLength, keyLength, depth, value } = problem;
  const { dQuery, dKey, dValue } = gradients;
  for (let slice = 0; slice < batch * heads; slice++) {
    const rows = scoreRows(problem, slice);
    const valueNaN = anyNaN(value, slice * keyLength * depth, (slice + 1) * keyLength * depth);
    const queryStart = slice * queryLength * depth;
    const keyStart = slice * keyLength * depth;
    const keyEnd = keyStart + keyLength * depth;
    let anyQueryRow = false;
    for (let i = 0; i < queryLength; i++) {
      const offset = queryStart + i * depth;
      if (rows[i] || valueNaN || anyNaN(dOutput, offset, offset + depth)) {
        fill(dQuery, offset, offset + depth);
        anyQueryRow = true;
      }
    }
    if (anyQueryRow) fill(dKey, keyStart, keyEnd);
    if (rows.includes(true)) {
      fill(dValue, keyStart, keyEnd);
      continue;
    }
    const columns = nanColumns(dOutput, queryStart, queryLength, depth);
    if (!columns.includes(true)) continue;
    for (let j = 0; j < keyLength; j++) for (let d = 0; d < depth; d++) if (columns[d]) dValue[keyStart + j * depth + d] = NaN;
  }
}
