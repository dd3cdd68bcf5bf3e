/**
 * A value as an error message shows it: numbers as written (`NaN`, `Infinity`, `-1`, never
 * JSON's `null`), strings quoted, arrays and objects as JSON, and anything longer than `limit`
 * characters cut, with its full length said (a 1 MB word is never echoed whole).
 *
 * @param value anything a caller passed.
 * @param limit characters kept before the cut; default 80.
 * @example
 * ```ts
 * describeValue(NaN);                 // 'NaN'
 * describeValue('a'.repeat(1e6), 10); // '"aaaaaaaaa… (1000002 characters)'
 * throw new RangeError(`epsilon must be a positive finite number; got ${describeValue(epsilon)}`);
 * ```
 */
export function describeValue(value: unknown, limit = 80): string {
  let text: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined || value === null) text = String(value);
  else if (typeof value === 'function') text = `function ${value.name || '(anonymous)'}`;
  else if (typeof value === 'symbol') text = value.toString();
  else {
    try {
      text = JSON.stringify(value, (_, inner: unknown) => (typeof inner === 'number' && !Number.isFinite(inner) ? String(inner) : inner)) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > limit ? `${text.slice(0, Math.max(0, limit - 1))}… (${text.length} characters)` : text;
}
