import { mapCodePoints, type NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

const MARK = /^\p{M}$/u;

/**
 * Removes combining marks (Unicode categories Mn, Mc, Me), as Hugging Face's `StripAccents`
 * does. It only removes marks that are already separate, so put an `NFD` normalizer before it.
 * (BERT's own accent stripping in {@link BertNormalizer} removes only Mn.)
 *
 * @example
 * ```ts
 * new StripAccents().normalize(identityText('e\u0301')).text; // 'e'
 * ```
 */
export class StripAccents implements Normalizer {
  normalize(input: NormalizedText): NormalizedText {
    return mapCodePoints(input, (char) =>
      char.charCodeAt(0) < 0x300 || !MARK.test(char) ? char : '',
    );
  }

  toJSON(): NormalizerJSON {
    return { type: 'StripAccents' };
  }
}
