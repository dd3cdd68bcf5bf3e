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
 * @internal Runs `run` (synchronous) with `Math.random` drawing from a generator seeded with
 * `seed`, then puts the original back. tfjs's random ops without a seed of their own —
 * `tf.dropout`, `tf.layers.dropout`, `tf.randomUniform` — seed themselves from `Math.random`,
 * so their masks become a function of `seed`.
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
