import { SeededRandom } from './seeded-random';

/**
 * @internal The seed of one training batch's random draws, mixed from the trainer's seed and
 * the batch's place (epoch, batch index), so a resumed run draws what the uninterrupted one drew.
 */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  let hash = seed >>> 0;
  for (const value of [epoch, batch]) {
    hash = Math.imul(hash ^ (value + 0x9e3779b9 + (hash << 6) + (hash >>> 2)), 0x85ebca6b) >>> 0;
    hash ^= hash >>> 13;
  }
  return hash >>> 0;
}

/**
 * Runs `run` (synchronous) with `Math.random` drawing from a generator seeded with `seed`, then
 * puts the original back. tfjs's random ops without a seed of their own — `tf.dropout`,
 * `tf.layers.dropout`, `tf.randomUniform`, and the initializers of layers built without seeds —
 * seed themselves from `Math.random`, so what they draw becomes a function of `seed`. (A seed of
 * 0 means "none" to tfjs; give a non-zero one.)
 *
 * @example
 * ```ts
 * const a = withSeededRandom(7, () => tf.randomNormal([3]));
 * const b = withSeededRandom(7, () => tf.randomNormal([3])); // the same values as a
 * ```
 */
export function withSeededRandom<T>(seed: number, run: () => T): T {
  const original = Math.random;
  const random = new SeededRandom(seed);
  Math.random = () => random.next();
  try {
    return run();
  } finally {
    Math.random = original;
  }
}
