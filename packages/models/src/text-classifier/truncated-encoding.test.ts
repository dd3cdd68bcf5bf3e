import { initBackend } from '@heed/backends';
import type { Tokenizer } from '@heed/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSentimentNode } from '../data/text/load-sentiment-node';
import { loadSpamAssassinNode } from '../data/text/load-spam-assassin-node';
import { loadPretrained } from '../pretrained/load-pretrained-node';
import { boundedTruncatedEncoding, truncatedEncoding, type TruncationSettings } from './truncated-encoding';

let tokenizers: Record<'spam' | 'sentiment', Tokenizer>;
/** `tokenizer` with the characters passed to `encode` counted into `count.characters`. */
function counting(tokenizer: Tokenizer, count: { characters: number }): Tokenizer {
  return new Proxy(tokenizer, {
    get: (target, property, receiver) =>
      property === 'encode'
        ? (input: string, options?: object) => {
            count.characters += input.length;
            return target.encode(input, options as never);
          }
        : Reflect.get(target, property, receiver),
  });
}
let texts: string[];
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  const [spam, sentiment] = await Promise.all([loadPretrained('spam'), loadPretrained('sentiment')]);
  tokenizers = { spam: spam.tokenizer, sentiment: sentiment.tokenizer };
  spam.dispose();
  sentiment.dispose();
  // Real, hostile text: raw emails (headers, HTML, base64, odd whitespace) and review sentences.
  const emails = (await loadSpamAssassinNode()).map((email) => email.text);
  const { amazon, imdb, yelp } = await loadSentimentNode();
  const sentences = [...amazon, ...imdb, ...yelp].map((row) => row.text).filter(Boolean);
  const join = (parts: string[], separator: string) => parts.join(separator);
  texts = [
    join(emails.slice(0, 40), '\n'), // ~150k characters of email
    join(emails.slice(2000, 2060), '\r\n\r\n'),
    join(sentences, ' '), // ~200k characters of short sentences
    join(sentences.slice(0, 500), '\t\u00a0 '),
    `${'x'.repeat(30_000)} ${join(sentences.slice(0, 300), ' ')}`, // a very long first word
    `${join(sentences.slice(0, 300), ' ')} ${'ünïcödé '.repeat(5_000)}`,
  ];
}, 120_000);

const SETTINGS: TruncationSettings[] = [
  { maxLength: 192, truncation: 'middle', headTokens: 64 }, // the shipped spam model
  { maxLength: 40, truncation: 'end', headTokens: 0 }, // the shipped sentiment model
  { maxLength: 128, truncation: 'middle', headTokens: 128 },
  { maxLength: 64, truncation: 'middle', headTokens: 0 },
  { maxLength: 300, truncation: 'end', headTokens: 10 },
];

describe('boundedTruncatedEncoding', () => {
  it('equals tokenizing the whole text, for long texts and both truncations', () => {
    let compared = 0;
    let bounded = 0; // comparisons where the pieces were much shorter than the text (no fallback)
    for (const tokenizer of Object.values(tokenizers)) {
      for (const settings of SETTINGS) {
        for (const text of texts) {
          const reference = truncatedEncoding(tokenizer, text, settings);
          expect(reference.truncated).toBe(true);
          const count = { characters: 0 };
          expect(boundedTruncatedEncoding(counting(tokenizer, count), text, settings)).toEqual(reference);
          compared++;
          if (count.characters < text.length / 2) bounded++;
        }
      }
    }
    expect(compared).toBe(60);
    expect(bounded).toBeGreaterThanOrEqual(45);
  });

  it('tokenizes only the ends of a 10 MB text', () => {
    const tokenizer = tokenizers.spam;
    const sentences = texts[2]!;
    const huge = sentences.repeat(Math.ceil(10_000_000 / sentences.length));
    const count = { characters: 0 };
    const result = boundedTruncatedEncoding(counting(tokenizer, count), huge, SETTINGS[0]!);
    expect(count.characters).toBeLessThan(huge.length / 100);
    expect(result.ids).toHaveLength(192);
    expect(result.truncated).toBe(true);
    // The tail's offsets point into the whole text.
    const last = result.offsets.at(-2)!;
    expect(huge.slice(last[0], last[1]).toLowerCase()).toBe(result.tokens.at(-2)!.replace(/^##/, ''));
  });

  it('a text short enough is tokenized whole, as before', () => {
    const text = texts[2]!.slice(0, 5_000);
    for (const settings of SETTINGS) expect(boundedTruncatedEncoding(tokenizers.spam, text, settings)).toEqual(truncatedEncoding(tokenizers.spam, text, settings));
  });
});
