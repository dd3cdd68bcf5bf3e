/** A dense row-major matrix: `values[row * columns + column]`. */
export interface Matrix {
  rows: number;
  columns: number;
  values: Float32Array;
}

/**
 * Attention weights given either as nested rows, shape (T, S), or as one flat array (e.g. a
 * tensor's `dataSync()`) with its `shape`: (T, S), (heads, T, S) or (layers, heads, T, S).
 */
export interface AttentionInput {
  /** Nested rows (queries × keys) or a flat row-major array with `shape`. */
  weights: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** Required with flat `weights`: (T, S), (heads, T, S) or (layers, heads, T, S). */
  shape?: readonly number[];
}

/** Weights of one layer: (heads, T, S), row-major. */
export interface LayerAttention {
  heads: number;
  rows: number;
  columns: number;
  values: Float32Array;
}

const list = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Copies nested rows into a {@link Matrix}, checking that they are rectangular and finite.
 *
 * @example
 * ```ts
 * toMatrix('myChart', 'weights', [[1, 0], [0.5, 0.5]]); // { rows: 2, columns: 2, values: Float32Array [1, 0, 0.5, 0.5] }
 * ```
 */
export function toMatrix(caller: string, name: string, nested: ArrayLike<ArrayLike<number>>): Matrix {
  const rows = nested.length;
  const first = rows > 0 ? nested[0] : undefined;
  if (first !== undefined && typeof first !== 'object') {
    throw new Error(`${caller}: ${name} is a flat array of length ${rows}; pass its shape too, or nested rows`);
  }
  const columns = first?.length ?? 0;
  const values = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const current = nested[row];
    const length = current?.length ?? 0;
    if (typeof current !== 'object' || length !== columns) {
      throw new Error(`${caller}: ${name} must be rectangular; row 0 has ${columns} columns but row ${row} has ${length}`);
    }
    for (let column = 0; column < columns; column++) {
      const value = Number(current[column]);
      if (!Number.isFinite(value)) throw new Error(`${caller}: ${name}[${row}][${column}] must be a finite number; got ${value}`);
      values[row * columns + column] = value;
    }
  }
  return { rows, columns, values };
}

/**
 * Reads one layer, (heads, T, S), out of attention weights, checking shape and indices. Nested
 * rows count as one layer with one head.
 *
 * @example
 * ```ts
 * // weights: Float32Array of shape (layers=2, heads=4, T=5, S=5)
 * const layer1 = attentionLayer('myChart', { weights, shape: [2, 4, 5, 5] }, 1); // heads 4, rows 5, columns 5
 * ```
 */
export function attentionLayer(caller: string, input: AttentionInput, layer = 0): LayerAttention {
  const { weights, shape } = input;
  if (shape === undefined) {
    if (layer !== 0) throw new Error(`${caller}: layer ${layer} is out of range; nested weights have 1 layer`);
    const matrix = toMatrix(caller, 'weights', weights as ArrayLike<ArrayLike<number>>);
    return { heads: 1, ...matrix };
  }
  if (shape.length < 2 || shape.length > 4 || !shape.every((size) => Number.isInteger(size) && size >= 0)) {
    throw new Error(`${caller}: shape must be (T, S), (heads, T, S) or (layers, heads, T, S) with integer sizes; got ${list(shape)}`);
  }
  const full = [...Array<number>(4 - shape.length).fill(1), ...shape] as [number, number, number, number];
  const [layers, heads, rows, columns] = full;
  const size = layers * heads * rows * columns;
  if (weights.length !== size) {
    throw new Error(`${caller}: weights has ${weights.length} elements but shape ${list(shape)} needs ${size}`);
  }
  if (!Number.isInteger(layer) || layer < 0 || layer >= layers) {
    throw new Error(`${caller}: layer must be an integer in [0, ${layers}) for shape ${list(shape)}; got ${layer}`);
  }
  const stride = heads * rows * columns;
  const values = new Float32Array(stride);
  for (let index = 0; index < stride; index++) {
    const value = Number((weights as ArrayLike<number>)[layer * stride + index]);
    if (!Number.isFinite(value)) throw new Error(`${caller}: weights[${layer * stride + index}] must be a finite number; got ${value}`);
    values[index] = value;
  }
  return { heads, rows, columns, values };
}

/**
 * Picks the (T, S) matrix of one layer and head, or the mean over heads (`head: 'mean'`).
 *
 * @example
 * ```ts
 * // weights: Float32Array of shape (layers=2, heads=4, T=5, S=5)
 * const m = attentionMatrix('myChart', { weights, shape: [2, 4, 5, 5] }, 1, 3);
 * m.values[0]; // weights[((1 * 4 + 3) * 5 + 0) * 5 + 0]
 * ```
 */
export function attentionMatrix(caller: string, input: AttentionInput, layer = 0, head: number | 'mean' = 0): Matrix {
  const data = attentionLayer(caller, input, layer);
  const size = data.rows * data.columns;
  if (head === 'mean') {
    const values = new Float32Array(size);
    for (let h = 0; h < data.heads; h++) for (let index = 0; index < size; index++) values[index]! += data.values[h * size + index]! / data.heads;
    return { rows: data.rows, columns: data.columns, values };
  }
  if (!Number.isInteger(head) || head < 0 || head >= data.heads) {
    throw new Error(`${caller}: head must be an integer in [0, ${data.heads}) or 'mean'${input.shape ? ` for shape ${list(input.shape)}` : ''}; got ${head}`);
  }
  return { rows: data.rows, columns: data.columns, values: data.values.slice(head * size, (head + 1) * size) };
}

/** Checks that `labels` (when given) has `count` entries, else returns numbered defaults. */
export function labelsOrIndices(caller: string, name: string, labels: readonly string[] | undefined, count: number, what: string): readonly string[] {
  if (labels === undefined) return Array.from({ length: count }, (_, index) => String(index));
  if (labels.length !== count) throw new Error(`${caller}: ${name} must have one label per ${what} (${count}); got ${labels.length}`);
  return labels;
}
