/**
 * A small seeded generator (mulberry32) whose whole state is one 32-bit integer, so it is saved
 * in checkpoints and a resumed run shuffles exactly as the uninterrupted one.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * const order = random.permutation(10); // the same order for the same seed, everywhere
 * ```
 */
export class SeededRandom {
  private current: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    this.current = seed >>> 0;
  }

  /** The generator's state, to save and restore. */
  get state(): number {
    return this.current;
  }

  set state(value: number) {
    this.current = value >>> 0;
  }

  /** A float in [0, 1) (mulberry32). */
  next(): number {
    let t = (this.current = (this.current + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * An integer in [0, below): `Math.floor(next() * below)`.
   *
   * @example
   * ```ts
   * new SeededRandom(7).int(6); // a die roll, the same one for seed 7 everywhere
   * ```
   */
  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  /** A uniformly random permutation of 0..length-1 (Fisher–Yates). */
  permutation(length: number): Int32Array {
    const order = Int32Array.from({ length }, (_, index) => index);
    for (let index = length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    return order;
  }
}
