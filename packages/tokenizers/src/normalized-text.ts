/**
 * A string after normalization, with the span of the original text each UTF-16 code unit came
 * from: unit `i` of `text` came from `original.slice(starts[i], ends[i])`. This is how every token
 * keeps offsets into the caller's string, whatever the normalizers did.
 *
 * @example
 * ```ts
 * const { text, starts, ends } = new Lowercase().normalize(identityText('AB')); // 'ab', [0, 1], [1, 2]
 * ```
 */
export interface NormalizedText {
  readonly text: string;
  readonly starts: number[];
  readonly ends: number[];
}

/**
 * Wraps `text` (found at `offset` in the original) with the identity alignment; both units of a
 * surrogate pair map to the whole code point.
 *
 * @example
 * ```ts
 * identityText('héllo', 0).starts; // [0, 1, 2, 3, 4]
 * ```
 */
export function identityText(text: string, offset = 0): NormalizedText {
  const length = text.length;
  const starts = new Array<number>(length);
  const ends = new Array<number>(length);
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        starts[index] = starts[index + 1] = offset + index;
        ends[index] = ends[index + 1] = offset + index + 2;
        index++;
        continue;
      }
    }
    starts[index] = offset + index;
    ends[index] = offset + index + 1;
  }
  return { text, starts, ends };
}

/**
 * Rewrites `input` one code point at a time: `rewrite(codePoint, index)` returns the replacement
 * (possibly empty or several characters); every produced unit keeps the span of its source code
 * point.
 */
export function mapCodePoints(
  input: NormalizedText,
  rewrite: (char: string, index: number) => string,
): NormalizedText {
  const { text, starts, ends } = input;
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  let out = '';
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const replacement = rewrite(width === 1 ? text[index]! : text.slice(index, index + 2), index);
    if (replacement.length > 0) {
      const start = starts[index]!;
      const end = ends[index + width - 1]!;
      out += replacement;
      for (let unit = 0; unit < replacement.length; unit++) {
        outStarts.push(start);
        outEnds.push(end);
      }
    }
    index += width;
  }
  return { text: out, starts: outStarts, ends: outEnds };
}
