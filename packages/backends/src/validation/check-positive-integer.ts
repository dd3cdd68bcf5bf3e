import { describeValue } from './describe-value';

/**
 * Returns `value` if it is a positive safe integer, else throws a RangeError naming it: for batch
 * sizes, beam widths, step counts (a batch size of 0 would loop forever).
 *
 * @param value what the caller passed.
 * @param name how the error names it, e.g. `'fit: batchSize'` or `'--batch-size'`.
 * @param max an inclusive upper bound, said in the error; default none.
 * @example
 * ```ts
 * checkPositiveInteger(0, 'batchSize'); // RangeError: batchSize must be a positive integer; got 0
 * checkPositiveInteger(100000, 'beamSize', 1000); // RangeError: beamSize must be a positive integer at most 1000; got 100000
 * ```
 */
export function checkPositiveInteger(value: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    const bound = max < Number.MAX_SAFE_INTEGER ? ` at most ${max}` : '';
    throw new RangeError(`${name} must be a positive integer${bound}; got ${describeValue(value)}`);
  }
  return value;
}
