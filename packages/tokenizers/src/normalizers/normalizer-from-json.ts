import { expectObject, readArray, unknownType } from '../json-fields';
import { BertNormalizer } from './bert-normalizer';
import { Lowercase } from './lowercase';
import type { Normalizer } from './normalizer';
import { Precompiled } from './precompiled';
import { Prepend } from './prepend';
import { Replace } from './replace';
import { SequenceNormalizer } from './sequence-normalizer';
import { Strip } from './strip';
import { StripAccents } from './strip-accents';
import { UnicodeNormalizer } from './unicode-normalizer';

/**
 * Normalizer types {@link normalizerFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_NORMALIZERS.includes('NFC'); // true
 * ```
 */
export const SUPPORTED_NORMALIZERS = ['BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Sequence', 'Precompiled', 'Replace', 'Strip', 'Prepend'] as const;

/**
 * Builds a normalizer from its `tokenizer.json` form; `null` means none.
 *
 * @example
 * ```ts
 * normalizerFromJSON({ type: 'Lowercase' }); // a Lowercase normalizer
 * ```
 */
export function normalizerFromJSON(value: unknown, path = 'normalizer'): Normalizer | null {
  if (value === null || value === undefined) return null;
  const json = expectObject(value, path);
  switch (json.type) {
    case 'BertNormalizer':
      return BertNormalizer.fromJSON(json, path);
    case 'Lowercase':
      return new Lowercase();
    case 'StripAccents':
      return new StripAccents();
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new UnicodeNormalizer(json.type);
    case 'Precompiled':
      return Precompiled.fromJSON(json, path);
    case 'Replace':
      return Replace.fromJSON(json, path);
    case 'Strip':
      return Strip.fromJSON(json, path);
    case 'Prepend':
      return Prepend.fromJSON(json, path);
    case 'Sequence':
      return new SequenceNormalizer(
        readArray(json, 'normalizers', path).map((item, index) => {
          const normalizer = normalizerFromJSON(item, `${path}.normalizers[${index}]`);
          if (normalizer === null) unknownType(`${path}.normalizers[${index}]`, item, SUPPORTED_NORMALIZERS);
          return normalizer;
        }),
      );
    default:
      return unknownType(path, json.type, SUPPORTED_NORMALIZERS);
  }
}
