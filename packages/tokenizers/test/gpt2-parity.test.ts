import { describe, expect, it } from 'vitest';
import { bytesToUnicode, Tokenizer } from '../src/index';
import { gpt2JSON } from '../src/__fixtures__/pretrained';
import { buildPair, firstMismatch, JS_SPACE_DIFFERENCE, PARITY_TEXTS } from './parity-helpers';

const json = gpt2JSON();
const { heed, reference } = buildPair(json);
const byteChars = bytesToUnicode();
const encoder = new TextEncoder();
const toByteChars = (text: string): string => Array.from(encoder.encode(text), (byte) => byteChars[byte]!).join('');

describe('GPT-2 (byte-level BPE) parity with @huggingface/tokenizers', () => {
  it('gives the known ids for "Hello, my dog is cute"', () => {
    expect(heed.encode('Hello, my dog is cute').ids).toEqual([15496, 11, 616, 3290, 318, 13779]);
  });

  it(`gives identical ids and tokens on ${PARITY_TEXTS.length} real sentences and hard cases`, () => {
    const comparable = PARITY_TEXTS.filter((text) => !JS_SPACE_DIFFERENCE.test(text));
    expect(comparable.length).toBeGreaterThanOrEqual(21_000);
    expect(firstMismatch(heed, reference, comparable)).toBeNull();
  });

  it('splits around U+0085 and U+FEFF like the Rust tokenizers (Unicode White_Space)', () => {
    // U+FEFF is not whitespace: it joins the prefix space (' ?[^\s\p{L}\p{N}]+'); U+0085 is, so the
    // space run stops before it. JavaScript's \s would give the opposite.
    expect(heed.encode('a \ufeffb').tokens).toEqual(['a', 'Ġï', '»', '¿', 'b']);
    expect(heed.encode('a \u0085b').tokens).toEqual(['a', 'Ġ', 'Â', 'ħ', 'b']);
  });

  it('offsets cover the characters whose UTF-8 bytes make up each token', () => {
    for (const text of PARITY_TEXTS.slice(0, 3000)) {
      const { tokens, offsets } = heed.encode(text);
      let previousStart = 0;
      tokens.forEach((token, index) => {
        const [start, end] = offsets[index]!;
        expect(start).toBeGreaterThanOrEqual(previousStart);
        previousStart = start;
        // a token holding part of a multi-byte character points at the whole character
        expect(toByteChars(text.slice(start, end))).toContain(token);
      });
    }
  });

  it('decode(encode(text)) gives the text back, as the reference decodes it', () => {
    for (const text of PARITY_TEXTS.slice(0, 5000)) {
      const { ids } = heed.encode(text);
      if (ids.length === 0) continue;
      const decoded = heed.decode(ids);
      expect(decoded).toBe(reference.decode(ids));
      if (!text.includes('\ufffd') && !/[\ud800-\udfff]/u.test(text.replace(/[\ud800-\udbff][\udc00-\udfff]/gu, ''))) {
        expect(decoded).toBe(text);
      }
    }
  });

  it('toJSON writes a tokenizer.json that the reference loads and encodes identically', () => {
    const written = JSON.parse(JSON.stringify(heed.toJSON())) as Record<string, unknown>;
    const { reference: fromWritten } = buildPair(written);
    expect(firstMismatch(heed, fromWritten, PARITY_TEXTS.slice(0, 3000))).toBeNull();
    expect(Tokenizer.fromJSON(written).toJSON()).toEqual(written);
    expect((written.model as { vocab: unknown }).vocab).toEqual((json.model as { vocab: unknown }).vocab);
  });
});
