import { describe, expectObject, TokenizerConfigError, unknownType } from '../json-fields';
import { BPE } from './bpe';
import type { Model } from './model';
import { Unigram } from './unigram';
import { WordLevel } from './word-level';
import { WordPiece } from './word-piece';

/**
 * Model types {@link modelFromJSON} understands.
 *
 * @example
 * ```ts
 * SUPPORTED_MODELS.includes('BPE'); // true
 * ```
 */
export const SUPPORTED_MODELS = ['WordPiece', 'BPE', 'WordLevel', 'Unigram'] as const;

/**
 * Builds a model from its `tokenizer.json` form.
 *
 * @example
 * ```ts
 * modelFromJSON({ type: 'WordLevel', vocab: { '[UNK]': 0, hi: 1 }, unk_token: '[UNK]' });
 * ```
 */
export function modelFromJSON(value: unknown, path = 'model'): Model {
  if (value === null || value === undefined) {
    throw new TokenizerConfigError(path, `expected an object with a "type" (${SUPPORTED_MODELS.join(', ')}), got ${describe(value)}`);
  }
  const json = expectObject(value, path);
  switch (json.type) {
    case 'WordPiece':
      return WordPiece.fromJSON(json, path);
    case 'BPE':
      return BPE.fromJSON(json, path);
    case 'WordLevel':
      return WordLevel.fromJSON(json, path);
    case 'Unigram':
      return Unigram.fromJSON(json, path);
    default:
      return unknownType(path, json.type, SUPPORTED_MODELS);
  }
}
