/**
 * The 39 ARPAbet phonemes of CMUdict without stress digits (15 vowels, 24 consonants), sorted.
 *
 * @example
 * ```ts
 * ARPABET_PHONEMES.length; // 39
 * ARPABET_PHONEMES.includes('EY'); // true
 * ```
 */
export const ARPABET_PHONEMES: readonly string[] = Object.freeze([
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'B', 'CH', 'D', 'DH', 'EH', 'ER', 'EY', 'F', 'G', 'HH', 'IH',
  'IY', 'JH', 'K', 'L', 'M', 'N', 'NG', 'OW', 'OY', 'P', 'R', 'S', 'SH', 'T', 'TH', 'UH', 'UW', 'V',
  'W', 'Y', 'Z', 'ZH',
]);

const PHONEME_SET = new Set(ARPABET_PHONEMES);

/**
 * Splits a CMUdict pronunciation ("P EY1 S T") into phonemes without stress digits
 * (["P", "EY", "S", "T"]); throws naming the pronunciation if a symbol is not ARPAbet.
 *
 * @example
 * ```ts
 * arpabetPhonemes('P EY1 S T'); // ['P', 'EY', 'S', 'T']
 * ```
 */
export function arpabetPhonemes(pronunciation: string): string[] {
  const symbols = pronunciation.trim().split(/\s+/).filter((symbol) => symbol !== '');
  if (symbols.length === 0) throw new Error(`arpabetPhonemes: pronunciation is empty; got ${JSON.stringify(pronunciation)}`);
  return symbols.map((symbol) => {
    const phoneme = symbol.replace(/[012]$/, '');
    if (!PHONEME_SET.has(phoneme)) {
      throw new Error(
        `arpabetPhonemes: ${JSON.stringify(symbol)} in pronunciation ${JSON.stringify(pronunciation)} is not an ARPAbet phoneme (with optional stress 0/1/2)`,
      );
    }
    return phoneme;
  });
}
