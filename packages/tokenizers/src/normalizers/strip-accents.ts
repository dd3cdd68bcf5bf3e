import { mapCodePoints, type NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

const MARK_NONSPACING = /^\p{Mn}$/u;

/**
 * Removes nonspacing marks (Unicode category Mn). Like Hugging Face's `StripAccents`, it only
 * removes marks that are already separate, so put an `NFD` normalizer before it.
 *
 * @example
 * ```ts
 * new StripAccents().normalize(identityText('e\u0301')).text; // 'e'
 * ```
 */
export class StripAccents implements Normalizer {
  normalize(input: NormalizedText): NormalizedText {
    return mapCodePoints(input, (char) =>
      char.charCodeAt(0) < 0x300 || !MARK_NONSPACING.test(char) ? char : '',
    );
  }

  toJSON(): NormalizerJSON {
    return { type: 'StripAccents' };
  }
}
