/**
 * Appends the UTF-8 bytes of one code point to `bytes` (1 to 4 bytes). A lone surrogate is encoded
 * as given; callers that need valid UTF-8 map it to U+FFFD first.
 *
 * @example
 * const bytes: number[] = [];
 * appendUtf8(0xe9, bytes); // bytes is [0xc3, 0xa9] ("é")
 */
export function appendUtf8(point: number, bytes: number[]): void {
  if (point < 0x80) bytes.push(point);
  else if (point < 0x800) bytes.push(0xc0 | (point >> 6), 0x80 | (point & 63));
  else if (point < 0x10000) bytes.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
  else bytes.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 63), 0x80 | ((point >> 6) & 63), 0x80 | (point & 63));
}
