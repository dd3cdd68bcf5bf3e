import { mapCodePoints, type NormalizedText } from '../normalized-text';
import { lowercaseInContext } from './lowercase-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * Lowercases the text (Unicode full case mapping, final sigma included).
 *
 * @example
 * ```ts
 * new Lowercase().normalize(identityText('ÀB')).text; // 'àb'
 * ```
 */
export class Lowercase implements Normalizer {
  normalize(input: NormalizedText): NormalizedText {
    return mapCodePoints(input, (char, index) =>
      char.length === 1 && char.charCodeAt(0) < 128 ? char.toLowerCase() : lowercaseInContext(input.text, index, char),
    );
  }

  toJSON(): NormalizerJSON {
    return { type: 'Lowercase' };
  }
}
