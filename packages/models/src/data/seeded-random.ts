/**
 * A seeded mulberry32 generator: `next()` is a float in [0, 1), the same sequence for the same
 * seed on every machine. (The same algorithm as @heed/training's, which models cannot import.)
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random.next(); // the same first value everywhere
 * random.int(10); // an integer in 0..9
 * ```
 */
export function seededRandom(seed: number): { next(): number; int(below: number): number } {
  if (!Number.isInteger(seed)) throw new RangeError(`seededRandom: seed must be an integer; got ${seed}`);
  let state = seed >>> 0;
  const next = (): number => {
    let t = (state = (state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (below: number) => Math.floor(next() * below) };
}
