import { describe, expect, it } from 'vitest';
import { HARD_CASES, realSentences } from '../__fixtures__/pretrained';
import { identityText } from '../normalized-text';
import { ByteLevel } from './byte-level';
import { GPT2_PATTERN, gpt2Spans } from './gpt2-spans';

/** The spans one plain `exec` loop over the whole text gives (the reference for short texts). */
function plainSpans(text: string): number[] {
  const pattern = new RegExp(GPT2_PATTERN.source, 'gu');
  const spans: number[] = [];
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) spans.push(match.index, match.index + match[0].length);
  return spans;
}

describe('gpt2Spans', () => {
  it('matches 8.4M UTF-16 units of emoji (one exec over them overflows the stack)', () => {
    const text = '😀'.repeat(4_200_000);
    expect(() => plainSpans(text)).toThrow(/call stack/);
    expect(gpt2Spans(text)).toEqual([0, text.length]);
    const words = new ByteLevel().preTokenize(identityText(text));
    expect(words.length).toBe(1);
    expect(words[0]!.text.length).toBe(4 * 4_200_000); // 4 UTF-8 bytes per emoji
    const mixed = `x ${text}y   z`;
    expect(gpt2Spans(mixed)).toEqual([0, 1, 1, 2 + text.length, 2 + text.length, 3 + text.length, 3 + text.length, 5 + text.length, 5 + text.length, 7 + text.length]);
  });

  it('gives the plain exec spans for every window size on real sentences and long runs', () => {
    const runs = ['aaaaaaa  bbb   \n x😀😀😀😀 12345 \t\t', '       x', 'x       ', '😀😀😀😀😀😀a', "it's   ok'll 😀 \u0085\ufeff  ", ' '.repeat(9)];
    const texts = [...runs, ...HARD_CASES, ...realSentences(300)];
    for (const window of [8, 9, 10, 13, 64]) {
      for (const text of texts) expect(gpt2Spans(text, window), `${JSON.stringify(text)} window ${window}`).toEqual(plainSpans(text));
    }
  });
});
