import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../src/index';
import { bertBaseUncasedJSON } from '../src/__fixtures__/pretrained';
import { buildPair, firstMismatch, hasFinalSigma, PARITY_TEXTS } from './parity-helpers';

const json = bertBaseUncasedJSON();
const { heed, reference } = buildPair(json);
const referenceNormalizer = reference.normalizer!;
const addedContents = new Set(heed.addedTokens.map((token) => token.content));

describe('bert-base-uncased (WordPiece) parity with @huggingface/tokenizers', () => {
  it('gives the known ids for "Hello, my dog is cute"', () => {
    expect(heed.encode('Hello, my dog is cute').ids).toEqual([101, 7592, 1010, 2026, 3899, 2003, 10140, 102]);
  });

  it(`gives identical ids and tokens on ${PARITY_TEXTS.length} real sentences and hard cases`, () => {
    // all but the texts with a word-final capital sigma (see hasFinalSigma)
    expect(PARITY_TEXTS.filter((text) => !hasFinalSigma(text)).length).toBeGreaterThanOrEqual(21_000);
    expect(firstMismatch(heed, reference, PARITY_TEXTS)).toBeNull();
  });

  it('gives identical ids, tokens and type ids for sentence pairs', () => {
    for (let index = 0; index + 1 < 2000; index += 2) {
      const [first, second] = [PARITY_TEXTS[index]!, PARITY_TEXTS[index + 1]!];
      if (hasFinalSigma(first) || hasFinalSigma(second)) continue;
      const expected = reference.encode(first, { text_pair: second, return_token_type_ids: true });
      const actual = heed.encode(first, { pair: second });
      expect(actual.ids).toEqual(expected.ids);
      expect(actual.typeIds).toEqual(expected.token_type_ids);
    }
  });

  it('offsets point at text that the reference normalizes to the token (## and [UNK] aside)', () => {
    for (const text of PARITY_TEXTS.slice(0, 3000)) {
      if (hasFinalSigma(text)) continue;
      const { tokens, offsets, specialTokensMask } = heed.encode(text);
      let previousStart = 0;
      tokens.forEach((token, index) => {
        const [start, end] = offsets[index]!;
        if (specialTokensMask[index] === 1) return expect([start, end]).toEqual([0, 0]);
        expect(start).toBeGreaterThanOrEqual(previousStart);
        expect(end).toBeGreaterThan(start);
        previousStart = start;
        if (token === '[UNK]') return;
        if (addedContents.has(token)) return expect(text.slice(start, end)).toBe(token);
        const piece = token.startsWith('##') ? token.slice(2) : token;
        const source = referenceNormalizer.normalize(text.slice(start, end)).trim();
        // usually equal; a character NFD splits in several pieces (Hangul syllables) holds each piece
        if (source !== piece) expect(source).toContain(piece);
      });
    }
  });

  it('decodes like the reference (skipping special tokens)', () => {
    for (const text of PARITY_TEXTS.slice(0, 5000)) {
      const { ids } = heed.encode(text);
      if (ids.length <= 2) continue;
      expect(heed.decode(ids, { skipSpecialTokens: true })).toBe(reference.decode(ids, { skip_special_tokens: true }));
    }
  });

  it('toJSON writes a tokenizer.json that the reference loads and encodes identically', () => {
    const written = JSON.parse(JSON.stringify(heed.toJSON())) as Record<string, unknown>;
    const { reference: fromWritten } = buildPair(written);
    expect(firstMismatch(heed, fromWritten, PARITY_TEXTS.slice(0, 3000))).toBeNull();
    expect(Tokenizer.fromJSON(written).toJSON()).toEqual(written);
    expect(written.model).toEqual(json.model);
    expect(written.normalizer).toEqual(json.normalizer);
    expect(written.post_processor).toEqual(json.post_processor);
  });
});
