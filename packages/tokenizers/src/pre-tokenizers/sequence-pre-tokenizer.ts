import type { NormalizedText } from '../normalized-text';
import type { PreToken, PreTokenizer, PreTokenizerJSON } from './pre-tokenizer';

/**
 * Hugging Face's `Sequence` pre-tokenizer: each pre-tokenizer splits the words of the previous one
 * (T5's and ALBERT's tokenizer.json use `WhitespaceSplit` then `Metaspace`).
 *
 * @example
 * ```ts
 * new SequencePreTokenizer([new WhitespaceSplit(), new Metaspace()]).preTokenize(identityText('Hey  you')).map((word) => word.text);
 * // ['▁Hey', '▁you']
 * ```
 */
export class SequencePreTokenizer implements PreTokenizer {
  constructor(readonly preTokenizers: readonly PreTokenizer[]) {}

  preTokenize(input: NormalizedText): PreToken[] {
    let words: PreToken[] = [{ ...input, base: 0 }];
    for (const preTokenizer of this.preTokenizers) {
      words = words.flatMap((word) => {
        const end = word.base + word.text.length;
        const view: NormalizedText = { text: word.text, starts: Array.prototype.slice.call(word.starts, word.base, end) as number[], ends: Array.prototype.slice.call(word.ends, word.base, end) as number[] };
        return preTokenizer.preTokenize(view);
      });
    }
    return words;
  }

  toJSON(): PreTokenizerJSON {
    return { type: 'Sequence', pretokenizers: this.preTokenizers.map((preTokenizer) => preTokenizer.toJSON()) };
  }
}
