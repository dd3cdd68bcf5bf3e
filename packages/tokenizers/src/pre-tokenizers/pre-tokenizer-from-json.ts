import { expectObject, readArray, unknownType } from '../json-fields';
import { BertPreTokenizer } from './bert-pre-tokenizer';
import { ByteLevel } from './byte-level';
import { Metaspace } from './metaspace';
import type { PreTokenizer } from './pre-tokenizer';
import { SequencePreTokenizer } from './sequence-pre-tokenizer';
import { Split } from './split';
import { Whitespace, WhitespaceSplit } from './whitespace';

/**
 * Pre-tokenizer types {@link preTokenizerFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_PRE_TOKENIZERS.includes('ByteLevel'); // true
 * ```
 */
export const SUPPORTED_PRE_TOKENIZERS = ['BertPreTokenizer', 'ByteLevel', 'Whitespace', 'WhitespaceSplit', 'Split', 'Metaspace', 'Sequence'] as const;

/**
 * Builds a pre-tokenizer from its `tokenizer.json` form; `null` means none.
 *
 * @example
 * ```ts
 * preTokenizerFromJSON({ type: 'BertPreTokenizer' }); // a BertPreTokenizer
 * ```
 */
export function preTokenizerFromJSON(value: unknown, path = 'pre_tokenizer'): PreTokenizer | null {
  if (value === null || value === undefined) return null;
  const json = expectObject(value, path);
  switch (json.type) {
    case 'BertPreTokenizer':
      return new BertPreTokenizer();
    case 'ByteLevel':
      return ByteLevel.fromJSON(json, path);
    case 'Whitespace':
      return new Whitespace();
    case 'WhitespaceSplit':
      return new WhitespaceSplit();
    case 'Metaspace':
      return Metaspace.fromJSON(json, path);
    case 'Sequence':
      return new SequencePreTokenizer(
        readArray(json, 'pretokenizers', path).map((item, index) => {
          const preTokenizer = preTokenizerFromJSON(item, `${path}.pretokenizers[${index}]`);
          if (preTokenizer === null) unknownType(`${path}.pretokenizers[${index}]`, item, SUPPORTED_PRE_TOKENIZERS);
          return preTokenizer;
        }),
      );
    case 'Split':
      return Split.fromJSON(json, path);
    default:
      return unknownType(path, json.type, SUPPORTED_PRE_TOKENIZERS);
  }
}
