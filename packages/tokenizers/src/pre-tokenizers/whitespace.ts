import type { NormalizedText } from '../normalized-text';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';
import { matchWords } from './regex-pre-tokenizer';

/**
 * Splits into runs of word characters and runs of other non-space characters, like the regex
 * `\w+|[^\w\s]+` of Hugging Face's `Whitespace` pre-tokenizer (with Unicode `\w`).
 *
 * @example
 * ```ts
 * new Whitespace().preTokenize(identityText('Hi, you!')).map((word) => word.text); // ['Hi', ',', 'you', '!']
 * ```
 */
export class Whitespace implements PreTokenizer {
  private readonly pattern = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200c\u200d\p{White_Space}]+/gu;

  preTokenize(input: NormalizedText): PreToken[] {
    return matchWords(input, this.pattern);
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'Whitespace' };
  }
}

/**
 * Splits on whitespace only (Unicode White_Space, as Hugging Face's `WhitespaceSplit`). Used for word-level vocabularies
 * such as phoneme sequences (`'HH AH0 L OW1'`).
 *
 * @example
 * ```ts
 * new WhitespaceSplit().preTokenize(identityText('HH AH0')).map((word) => word.text); // ['HH', 'AH0']
 * ```
 */
export class WhitespaceSplit implements PreTokenizer {
  private readonly pattern = /\P{White_Space}+/gu;

  preTokenize(input: NormalizedText): PreToken[] {
    return matchWords(input, this.pattern);
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'WhitespaceSplit' };
  }
}
