import * as tf from '@tensorflow/tfjs';

/** Tolerances of {@link expectClose}: passes where |actual - expected| <= atol + rtol·|expected|. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Names the compared value in the error message. */
  label?: string;
}

type Values = tf.Tensor | ArrayLike<number> | number;

async function read(values: Values): Promise<{ data: ArrayLike<number>; shape: number[] }> {
  if (values instanceof tf.Tensor) return { data: (await values.data()) as ArrayLike<number>, shape: values.shape };
  if (typeof values === 'number') return { data: [values], shape: [] };
  return { data: values, shape: [values.length] };
}

function indexToLocation(index: number, shape: number[]): number[] {
  const location: number[] = new Array(shape.length).fill(0);
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis] ?? 1;
    location[axis] = rest % size;
    rest = Math.floor(rest / size);
  }
  return location;
}

/**
 * Asserts that two tensors (or arrays) have the same shape and are elementwise close, as
 * `numpy.testing.assert_allclose`. On failure the error names the worst element, its index,
 * both values and how many elements are out of tolerance. NaN only matches NaN.
 * Reads tensors with `await data()`, so it works on every backend (WebGPU in Node included).
 *
 * @example
 * ```ts
 * await expectClose(fused, reference, { rtol: 1e-4, atol: 1e-5, label: 'attention output' });
 * ```
 */
export async function expectClose(actual: Values, expected: Values, options: CloseOptions = {}): Promise<void> {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-6;
  const label = options.label ? `${options.label}: ` : '';
  const [a, e] = await Promise.all([read(actual), read(expected)]);
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor && a.shape.join() !== e.shape.join()) {
    throw new Error(`${label}shape mismatch: actual [${a.shape}] vs expected [${e.shape}]`);
  }
  if (a.data.length !== e.data.length) {
    throw new Error(`${label}size mismatch: actual has ${a.data.length} elements, expected ${e.data.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  let failures = 0;
  for (let index = 0; index < a.data.length; index++) {
    const x = a.data[index] as number;
    const y = e.data[index] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      failures++;
      if (worstExcess !== Infinity) {
        worst = index;
        worstExcess = Infinity;
      }
      continue;
    }
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (excess > 0) {
      failures++;
      if (excess > worstExcess) {
        worst = index;
        worstExcess = excess;
      }
    }
  }
  if (failures > 0) {
    const x = a.data[worst] as number;
    const y = e.data[worst] as number;
    const at = a.shape.length > 1 ? `[${indexToLocation(worst, a.shape).join(', ')}]` : `[${worst}]`;
    throw new Error(
      `${label}${failures} of ${a.data.length} elements differ beyond rtol=${rtol}, atol=${atol}; ` +
        `worst at index ${at}: actual ${x}, expected ${y} (|diff| = ${Math.abs(x - y)})`,
    );
  }
}
