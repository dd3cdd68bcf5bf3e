// Inputs on which @huggingface/tokenizers 0.2.0 (JavaScript) and Hugging Face's Rust tokenizers
// disagree; heed follows Rust, so comparisons with the JS reference leave these inputs out and
// tests check heed's behaviour on them directly.

/**
 * Texts whose whole-string lowercase differs from lowercasing each character: a word-final 'Σ'.
 * The reference lowercases whole strings ('ς'); Rust (and heed) lowercase per character ('σ').
 */
export function hasFinalSigma(text: string): boolean {
  return text.toLowerCase() !== Array.from(text, (char) => char.toLowerCase()).join('');
}

/**
 * U+0085 and U+FEFF: JavaScript's \s (which the reference's regexes use) takes U+FEFF and not
 * U+0085; Oniguruma's \s in the Rust tokenizers, and heed, use Unicode White_Space (the reverse).
 */
export const JS_SPACE_DIFFERENCE = /[\u0085\ufeff]/u;

/** CJK ideographs outside the BMP, which the reference's BertNormalizer does not space out. */
export const SUPPLEMENTARY_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/u;

/** Whether a text avoids every known JS-reference/Rust difference. */
export function comparableWithReference(text: string): boolean {
  return !hasFinalSigma(text) && !JS_SPACE_DIFFERENCE.test(text) && !SUPPLEMENTARY_CJK.test(text);
}
