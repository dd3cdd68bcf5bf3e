import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * The four Unicode normalization forms.
 *
 * @example
 * ```ts
 * new UnicodeNormalizer('NFKC');
 * ```
 */
export type UnicodeForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/**
 * Applies a Unicode normalization form (NFC, NFD, NFKC or NFKD). The text is normalized in
 * segments (a character with the marks that follow it) so each output character keeps the span
 * of the original characters it came from.
 *
 * @example
 * ```ts
 * new UnicodeNormalizer('NFD').normalize(identityText('é')).text; // 'e\u0301'
 * new UnicodeNormalizer('NFKC').normalize(identityText('ﬁ')).text; // 'fi'
 * ```
 */
export class UnicodeNormalizer implements Normalizer {
  constructor(readonly form: UnicodeForm) {}

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    const form = this.form;
    if (isAsciiOnly(text)) return input;
    const outStarts: number[] = [];
    const outEnds: number[] = [];
    let out = '';
    let segmentStart = 0;
    let segment = '';
    const flush = (segmentEnd: number): void => {
      if (segment.length === 0) return;
      const normalized = segment.normalize(form);
      const start = starts[segmentStart]!;
      const end = ends[segmentEnd - 1]!;
      out += normalized;
      for (let unit = 0; unit < normalized.length; unit++) {
        outStarts.push(start);
        outEnds.push(end);
      }
    };
    for (let index = 0; index < text.length; ) {
      const codePoint = text.codePointAt(index)!;
      const width = codePoint > 0xffff ? 2 : 1;
      const char = text.slice(index, index + width);
      // A new segment starts when normalizing the pieces apart equals normalizing them together.
      const joins =
        segment.length > 0 &&
        !(codePoint < 0x300 && segment.charCodeAt(segment.length - 1) < 0x300) &&
        (segment + char).normalize(form) !== segment.normalize(form) + char.normalize(form);
      if (!joins) {
        flush(index);
        segment = '';
        segmentStart = index;
      }
      segment += char;
      index += width;
    }
    flush(text.length);
    return { text: out, starts: outStarts, ends: outEnds };
  }

  toJSON(): NormalizerJSON {
    return { type: this.form };
  }
}

function isAsciiOnly(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) >= 128) return false;
  return true;
}
