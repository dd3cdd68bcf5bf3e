import { expectObject, unknownType } from '../json-fields';
import { ByteLevelDecoder } from './byte-level-decoder';
import type { Decoder } from './decoder';
import { FuseDecoder } from './fuse-decoder';
import { WordPieceDecoder } from './word-piece-decoder';

/**
 * Decoder types {@link decoderFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_DECODERS.includes('Fuse'); // true
 * ```
 */
export const SUPPORTED_DECODERS = ['WordPiece', 'ByteLevel', 'Fuse'] as const;

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
    default:
      return unknownType(path, json.type, SUPPORTED_DECODERS);
  }
}
