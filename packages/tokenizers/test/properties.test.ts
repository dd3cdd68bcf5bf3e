// Property tests (fast-check): invariants that must hold for any input, not just the corpus.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../src/index';
import { bertBaseUncasedJSON, gpt2JSON, REFERENCE_CONFIG } from '../src/__fixtures__/pretrained';
import { comparableWithReference } from '../src/__fixtures__/reference-differences';

const bert = Tokenizer.fromJSON(bertBaseUncasedJSON());
const gpt2 = Tokenizer.fromJSON(gpt2JSON());
const anyText = fc.string({ unit: 'binary', maxLength: 80 });
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 });
const runs = { numRuns: 300 };

function checkOffsets(text: string, encoding: { offsets: Array<[number, number]>; specialTokensMask: number[] }): void {
  encoding.offsets.forEach(([start, end], index) => {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeLessThanOrEqual(text.length);
    if (encoding.specialTokensMask[index] === 1) expect([start, end]).toEqual([0, 0]);
    else expect(end).toBeGreaterThan(start);
  });
}

describe('properties', () => {
  it('random Unicode encodes exactly as @huggingface/tokenizers does (bert-base-uncased, GPT-2)', () => {
    for (const json of [bertBaseUncasedJSON(), gpt2JSON()]) {
      const heed = Tokenizer.fromJSON(json);
      const reference = new ReferenceTokenizer(json, REFERENCE_CONFIG);
      fc.assert(
        fc.property(fc.oneof(anyText, fc.string({ unit: 'grapheme', maxLength: 40 })), (text) => {
          fc.pre(comparableWithReference(text));
          expect(heed.encode(text).tokens).toEqual(reference.encode(text).tokens);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('random Unicode (and lone surrogates) never throws, and offsets stay inside the text', () => {
    for (const tokenizer of [bert, gpt2]) {
      fc.assert(
        fc.property(fc.oneof(anyText, anyUnits), (text) => {
          const encoding = tokenizer.encode(text);
          expect(encoding.ids).toHaveLength(encoding.tokens.length);
          checkOffsets(text, encoding);
          tokenizer.decode(encoding.ids);
        }),
        runs,
      );
    }
  });

  it('byte-level BPE: decode(encode(x)) === x for well-formed text', () => {
    fc.assert(fc.property(anyText, (text) => {
          expect(gpt2.decode(gpt2.encode(text).ids)).toBe(text);
        }), runs);
  });

  it('offsets slice to the source text of each token', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('hello', 'World', 'café', 'naïve', '!', ',', ' ', '  ', '\n', 'Ünï', '中', '😀', "'s", '42'), { maxLength: 12 }).map((parts) => parts.join('')), (text) => {
        const encoding = bert.encode(text, { addSpecialTokens: false });
        encoding.tokens.forEach((token, index) => {
          if (token === '[UNK]') return;
          const [start, end] = encoding.offsets[index]!;
          const piece = token.replace(/^##/, '');
          const source = text.slice(start, end).toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
          expect(source).toContain(piece);
        });
        const gpt = gpt2.encode(text);
        expect(gpt.offsets.map(([start, end], index) => (index === 0 || start >= gpt.offsets[index - 1]![1] ? text.slice(start, end) : '')).join('')).toBe(text);
      }),
      runs,
    );
  });

  it('padding and truncation: every row has maxLength entries, pads are masked, specials kept', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 4 }), fc.integer({ min: 2, max: 24 }), (texts, maxLength) => {
        const batch = bert.encodeBatch(texts, { maxLength, truncation: true, padding: 'max_length' });
        batch.forEach((encoding, row) => {
          expect(encoding.ids).toHaveLength(maxLength);
          expect(encoding.attentionMask).toHaveLength(maxLength);
          const real = encoding.attentionMask.filter((mask) => mask === 1).length;
          expect(encoding.ids.slice(real).every((id) => id === 0)).toBe(true);
          expect(encoding.attentionMask.slice(0, real).every((mask) => mask === 1)).toBe(true);
          expect(encoding.ids[0]).toBe(101);
          expect(encoding.ids[real - 1]).toBe(102);
          const full = bert.encode(texts[row]!).ids;
          expect(encoding.ids.slice(1, real - 1)).toEqual(full.slice(1, real - 1));
        });
        const longest = bert.encodeBatch(texts, { padding: 'longest' });
        const width = Math.max(...texts.map((text) => bert.encode(text).ids.length));
        for (const encoding of longest) expect(encoding.ids).toHaveLength(width);
      }),
      { numRuns: 100 },
    );
  });
});
