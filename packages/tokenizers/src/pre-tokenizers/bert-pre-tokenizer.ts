import type { NormalizedText } from '../normalized-text';
import { isPunctuation, isWhitespace } from '../unicode-classes';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';

// 0: other, 1: whitespace, 2: punctuation — for ASCII code units.
const ASCII_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  ASCII_CLASS[code] = isWhitespace(code) ? 1 : isPunctuation(code) ? 2 : 0;
}

/**
 * BERT's pre-tokenizer: splits on whitespace (dropped) and makes every punctuation character its
 * own word (`BertPreTokenizer` in Hugging Face tokenizers).
 *
 * @example
 * ```ts
 * new BertPreTokenizer().preTokenize(identityText("don't stop")).map((word) => word.text);
 * // ['don', "'", 't', 'stop']
 * ```
 */
export class BertPreTokenizer implements PreTokenizer {
  preTokenize(input: NormalizedText): PreToken[] {
    const { text, starts, ends } = input;
    const words: PreToken[] = [];
    let wordStart = -1;
    for (let index = 0; index < text.length; ) {
      const code = text.charCodeAt(index);
      let kind: number;
      let width = 1;
      if (code < 128) {
        kind = ASCII_CLASS[code]!;
      } else {
        const codePoint = text.codePointAt(index)!;
        width = codePoint > 0xffff ? 2 : 1;
        kind = isWhitespace(codePoint) ? 1 : isPunctuation(codePoint) ? 2 : 0;
      }
      if (kind === 0) {
        if (wordStart < 0) wordStart = index;
      } else {
        if (wordStart >= 0) {
          words.push({ text: text.slice(wordStart, index), starts, ends, base: wordStart });
          wordStart = -1;
        }
        if (kind === 2) words.push({ text: text.slice(index, index + width), starts, ends, base: index });
      }
      index += width;
    }
    if (wordStart >= 0) words.push({ text: text.slice(wordStart), starts, ends, base: wordStart });
    return words;
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'BertPreTokenizer' };
  }
}
