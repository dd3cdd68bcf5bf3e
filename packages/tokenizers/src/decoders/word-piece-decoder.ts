import { readBoolean, readOptionalString, type JsonObject } from '../json-fields';
import type { Decoder, DecoderJSON } from './decoder';

/**
 * Options of {@link WordPieceDecoder}.
 *
 * @example
 * ```ts
 * new WordPieceDecoder({ cleanup: false });
 * ```
 */
export interface WordPieceDecoderOptions {
  /** Continuation prefix to glue back onto the previous piece. Default '##'. */
  prefix?: string;
  /** Remove the space BERT-style tokenization puts before punctuation and contractions. Default true. */
  cleanup?: boolean;
}

/**
 * Joins WordPiece tokens: pieces starting with `##` attach to the previous token, others get a
 * space before them; `cleanup` removes spaces before punctuation (Hugging Face's `WordPiece` decoder).
 *
 * @example
 * ```ts
 * new WordPieceDecoder().decode(['un', '##aff', '##able', '!']); // 'unaffable!'
 * ```
 */
export class WordPieceDecoder implements Decoder {
  readonly prefix: string;
  readonly cleanup: boolean;

  constructor(options: WordPieceDecoderOptions = {}) {
    this.prefix = options.prefix ?? '##';
    this.cleanup = options.cleanup ?? true;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): WordPieceDecoder {
    return new WordPieceDecoder({
      prefix: readOptionalString(json, 'prefix', path, '##'),
      cleanup: readBoolean(json, 'cleanup', path, true),
    });
  }

  decode(tokens: readonly string[]): string {
    let text = '';
    tokens.forEach((token, index) => {
      let piece = token;
      if (index !== 0) piece = this.prefix.length > 0 && piece.startsWith(this.prefix) ? piece.slice(this.prefix.length) : ` ${piece}`;
      text += this.cleanup ? cleanupTokenization(piece) : piece;
    });
    return text;
  }

  toJSON(): DecoderJSON {
    return { type: 'WordPiece', prefix: this.prefix, cleanup: this.cleanup };
  }
}

/** Hugging Face tokenizers' WordPiece `cleanup` (`decoders/wordpiece.rs`), applied per token. */
export function cleanupTokenization(text: string): string {
  return cleanupTokenizationSpaces(text).replaceAll(' do not', " don't");
}

/** transformers' `clean_up_tokenization`: spaces before punctuation and contractions removed. */
export function cleanupTokenizationSpaces(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
