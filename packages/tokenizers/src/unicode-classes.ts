// Character classes shared by the BERT normalizer and pre-tokenizers, matching Hugging Face
// tokenizers' definitions (tokenizers/src/normalizers/bert.rs, pre_tokenizers/bert.rs).

const WHITE_SPACE = /^\p{White_Space}$/u;
const OTHER = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u;
const PUNCTUATION = /^\p{P}$/u;
const MARK_NONSPACING = /\p{Mn}/gu;

/** `char::is_whitespace` (the Unicode White_Space property) for one code point. */
export function isWhitespace(codePoint: number): boolean {
  if (codePoint < 128) {
    return codePoint === 32 || (codePoint >= 9 && codePoint <= 13);
  }
  return WHITE_SPACE.test(String.fromCodePoint(codePoint));
}

/** BERT's control test: categories Cc, Cf, Co, Cs, except tab, newline and carriage return. */
export function isControl(codePoint: number): boolean {
  if (codePoint === 9 || codePoint === 10 || codePoint === 13) return false;
  if (codePoint < 32 || codePoint === 127) return true;
  if (codePoint < 128) return false;
  return OTHER.test(String.fromCodePoint(codePoint));
}

/** BERT's punctuation test: any ASCII non-alphanumeric printable, or Unicode category P*. */
export function isPunctuation(codePoint: number): boolean {
  if (codePoint < 128) {
    return (
      (codePoint >= 33 && codePoint <= 47) ||
      (codePoint >= 58 && codePoint <= 64) ||
      (codePoint >= 91 && codePoint <= 96) ||
      (codePoint >= 123 && codePoint <= 126)
    );
  }
  return PUNCTUATION.test(String.fromCodePoint(codePoint));
}

/** The CJK Unified Ideograph blocks BERT surrounds with spaces (the "Chinese characters"). */
export function isChineseChar(codePoint: number): boolean {
  return (
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x20000 && codePoint <= 0x2a6df) ||
    (codePoint >= 0x2a700 && codePoint <= 0x2b73f) ||
    (codePoint >= 0x2b740 && codePoint <= 0x2b81f) ||
    (codePoint >= 0x2b920 && codePoint <= 0x2ceaf) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0x2f800 && codePoint <= 0x2fa1f)
  );
}

/** NFD then drop nonspacing marks (Mn): the accent stripping BERT and `StripAccents` do. */
export function stripAccentsOf(text: string): string {
  return text.normalize('NFD').replace(MARK_NONSPACING, '');
}
