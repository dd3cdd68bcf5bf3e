import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * Runs several normalizers one after the other.
 *
 * @example
 * ```ts
 * const normalizer = new SequenceNormalizer([new UnicodeNormalizer('NFD'), new StripAccents(), new Lowercase()]);
 * normalizer.normalize(identityText('Éa')).text; // 'ea'
 * ```
 */
export class SequenceNormalizer implements Normalizer {
  constructor(readonly normalizers: readonly Normalizer[]) {}

  normalize(input: NormalizedText): NormalizedText {
    let current = input;
    for (const normalizer of this.normalizers) current = normalizer.normalize(current);
    return current;
  }

  toJSON(): NormalizerJSON {
    return { type: 'Sequence', normalizers: this.normalizers.map((normalizer) => normalizer.toJSON()) };
  }
}
