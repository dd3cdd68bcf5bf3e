/**
 * Estimated width in pixels of `text` in a sans-serif font of `size` pixels (average glyph
 * 0.6 em; wide glyphs count more). Used for layout where no text measurement exists (Node).
 */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const char of text) {
    if (/[mwMW@%]/.test(char)) ems += 0.85;
    else if (/[iljtf.,:;'|!I ]/.test(char)) ems += 0.32;
    else if (char.codePointAt(0)! > 0x2e80) ems += 1;
    else ems += 0.6;
  }
  return ems * size;
}

/** The widest estimated label. */
export const maxTextWidth = (labels: readonly string[], size: number): number =>
  labels.reduce((widest, label) => Math.max(widest, textWidth(label, size)), 0);
