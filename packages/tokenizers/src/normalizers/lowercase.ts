import { mapCodePoints, type NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * Lowercases the text character by character (Unicode full case mapping, as Hugging Face
 * tokenizers does: 'İ' → 'i̇', and 'Σ' → 'σ' even at the end of a word).
 *
 * @example
 * ```ts
 * new Lowercase().normalize(identityText('ÀB')).text; // 'àb'
 * ```
 */
export class Lowercase implements Normalizer {
  normalize(input: NormalizedText): NormalizedText {
    // One code point at a time, like Rust's `char::to_lowercase` in Hugging Face tokenizers:
    // no final-sigma rule ('Σ' → 'σ' everywhere), unlike `String.prototype.toLowerCase`.
    return mapCodePoints(input, (char) => char.toLowerCase());
  }

  toJSON(): NormalizerJSON {
    return { type: 'Lowercase' };
  }
}
