import { expectObject, readArray, unknownType } from '../json-fields';
import { ByteFallbackDecoder } from './byte-fallback-decoder';
import { ByteLevelDecoder } from './byte-level-decoder';
import type { Decoder } from './decoder';
import { FuseDecoder } from './fuse-decoder';
import { MetaspaceDecoder } from './metaspace-decoder';
import { ReplaceDecoder } from './replace-decoder';
import { SequenceDecoder } from './sequence-decoder';
import { StripDecoder } from './strip-decoder';
import { WordPieceDecoder } from './word-piece-decoder';

/**
 * Decoder types {@link decoderFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_DECODERS.includes('Fuse'); // true
 * ```
 */
export const SUPPORTED_DECODERS = ['WordPiece', 'ByteLevel', 'Fuse', 'Metaspace', 'ByteFallback', 'Strip', 'Replace', 'Sequence'] as const;

/**
 * Builds a decoder from its `tokenizer.json` form; `null` means none (tokens joined by spaces).
 *
 * @example
 * ```ts
 * decoderFromJSON({ type: 'WordPiece', prefix: '##', cleanup: true });
 * ```
 */
export function decoderFromJSON(value: unknown, path = 'decoder'): Decoder | null {
  if (value === null || value === undefined) return null;
  const json = expectObject(value, path);
  switch (json.type) {
    case 'WordPiece':
      return WordPieceDecoder.fromJSON(json, path);
    case 'ByteLevel':
      return ByteLevelDecoder.fromJSON(json, path);
    case 'Fuse':
      return new FuseDecoder();
    case 'Metaspace':
      return MetaspaceDecoder.fromJSON(json, path);
    case 'ByteFallback':
      return new ByteFallbackDecoder();
    case 'Strip':
      return StripDecoder.fromJSON(json, path);
    case 'Replace':
      return ReplaceDecoder.fromJSON(json, path);
    case 'Sequence':
      return new SequenceDecoder(
        readArray(json, 'decoders', path).map((item, index) => {
          const decoder = decoderFromJSON(item, `${path}.decoders[${index}]`);
          if (decoder === null) unknownType(`${path}.decoders[${index}]`, item, SUPPORTED_DECODERS);
          return decoder;
        }),
      );
    default:
      return unknownType(path, json.type, SUPPORTED_DECODERS);
  }
}
