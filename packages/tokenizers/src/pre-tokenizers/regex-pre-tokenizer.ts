import type { NormalizedText } from '../normalized-text';
import type { PreToken } from './pre-tokenizer';

/** Every match of the global regex `pattern` in `input` becomes a word (gaps are dropped). */
export function matchWords(input: NormalizedText, pattern: RegExp): PreToken[] {
  const { text, starts, ends } = input;
  const words: PreToken[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    words.push({ text: match[0], starts, ends, base: match.index });
  }
  return words;
}
