/**
 * How attention programs hold a D-long row: as D/4 `vec4<f32>` when D is a multiple of 4 (one
 * shared-memory load and one `dot` per four products), else as D scalars.
 */
export interface VectorLayout {
  /** Floats per element: 4 or 1. */
  width: 4 | 1;
  /** WGSL type of one element. */
  type: 'vec4<f32>' | 'f32';
  /** Elements per row: D / width. */
  count: number;
  /** `count`, at least 1 (WGSL arrays cannot be empty). */
  arrayLength: number;
}

/** @returns the layout for rows of `depth` floats. */
export function vectorLayout(depth: number): VectorLayout {
  const width = depth > 0 && depth % 4 === 0 ? 4 : 1;
  const count = depth / width;
  return { width, type: width === 4 ? 'vec4<f32>' : 'f32', count, arrayLength: Math.max(count, 1) };
}

/**
 * WGSL helpers over `layout`: `heedDot(a, b)`, `heedLoad<Name>(at)` (first letter upper-cased) reading one element of each
 * named f32 input from float offset `at`, and `heedStore(at, value)` writing one to `result`.
 */
export function vectorHelpersWgsl(layout: VectorLayout, inputs: readonly string[]): string {
  const { width, type } = layout;
  const load = (name: string) =>
    width === 4 ? `vec4<f32>(${name}[at], ${name}[at + 1], ${name}[at + 2], ${name}[at + 3])` : `${name}[at]`;
  const store =
    width === 4
      ? 'result[at] = value.x; result[at + 1] = value.y; result[at + 2] = value.z; result[at + 3] = value.w;'
      : 'result[at] = value;';
  return `
    fn heedDot(a : ${type}, b : ${type}) -> f32 { return ${width === 4 ? 'dot(a, b)' : 'a * b'}; }
    ${inputs.map((name) => `fn heedLoad${name.charAt(0).toUpperCase()}${name.slice(1)}(at : i32) -> ${type} { return ${load(name)}; }`).join('\n    ')}
    fn heedStore(at : i32, value : ${type}) { ${store} }
  `;
}
