const CAPITAL_SIGMA = 0x3a3;

/**
 * Lowercases one code point of `text` at `index` as `String.prototype.toLowerCase` (and Rust's
 * `str::to_lowercase`) would lowercase it inside the whole string: the only context-dependent
 * mapping, Greek capital sigma, becomes final 'ς' at the end of a word.
 */
export function lowercaseInContext(text: string, index: number, char: string): string {
  if (char.charCodeAt(0) !== CAPITAL_SIGMA) return char.toLowerCase();
  const from = Math.max(0, index - 16);
  const left = text.slice(from, index);
  const window = `${left}${char}${text.slice(index + 1, index + 17)}`.toLowerCase();
  return window.charAt(left.toLowerCase().length);
}
