/**
 * Test-only numerical gradient: `∂f/∂xᵢ ≈ (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε` for every i.
 * Use it on a float64 function (e.g. {@link naiveAttention}) for an accurate reference, or on a
 * float32 tfjs function with ε ≈ 1e-2 and loose tolerances.
 */
export function centralDifference(f: (x: number[]) => number, x: readonly number[], epsilon = 1e-6): number[] {
  const gradient: number[] = [];
  const point = [...x];
  for (let index = 0; index < point.length; index++) {
    const original = point[index]!;
    point[index] = original + epsilon;
    const above = f(point);
    point[index] = original - epsilon;
    const below = f(point);
    point[index] = original;
    gradient.push((above - below) / (2 * epsilon));
  }
  return gradient;
}

/** Async variant for functions that read tensors with `await data()`. */
export async function centralDifferenceAsync(f: (x: number[]) => Promise<number>, x: readonly number[], epsilon = 1e-2): Promise<number[]> {
  const gradient: number[] = [];
  const point = [...x];
  for (let index = 0; index < point.length; index++) {
    const original = point[index]!;
    point[index] = original + epsilon;
    const above = await f(point);
    point[index] = original - epsilon;
    const below = await f(point);
    point[index] = original;
    gradient.push((above - below) / (2 * epsilon));
  }
  return gradient;
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32), for test inputs. */
export function seededValues(count: number, seed: number): number[] {
  let state = seed >>> 0;
  const values: number[] = [];
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    values.push(Math.fround((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * 2 - 1));
  }
  return values;
}
