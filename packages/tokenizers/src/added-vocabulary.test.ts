import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { bertBaseUncasedJSON, gpt2JSON, REFERENCE_CONFIG } from './__fixtures__/pretrained';
import { AddedTokenMatcher } from './added-vocabulary';
import { Tokenizer } from './tokenizer';

function withAddedTokens(json: Record<string, unknown>, extra: Array<Record<string, unknown>>): Record<string, unknown> {
  return { ...json, added_tokens: [...(json.added_tokens as unknown[]), ...extra] };
}

const TEXTS = [
  'The [MASK] sat on the mat.',
  'the   [MASK]   sat',
  '[CLS][SEP][MASK]',
  'My DOGS and dogs like hot dogs',
  'a <|endoftext|> b<|endoftext|>c',
  'Élan vital [MASK] Éclair',
];

describe('added tokens', () => {
  it('are found in raw text (special) and in normalized text (normalized), like the reference', () => {
    const bert = withAddedTokens(bertBaseUncasedJSON(), [
      { id: 30522, content: 'dogs', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
      { id: 30523, content: 'éclair', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false },
    ]);
    for (const json of [bert, gpt2JSON()]) {
      const heed = Tokenizer.fromJSON(json);
      const reference = new ReferenceTokenizer(json, REFERENCE_CONFIG);
      for (const text of TEXTS) expect(heed.encode(text).tokens).toEqual(reference.encode(text).tokens);
    }
  });

  it('lstrip and rstrip swallow the neighbouring whitespace, like the reference', () => {
    const json = bertBaseUncasedJSON();
    const tokens = (json.added_tokens as Array<Record<string, unknown>>).map((token) => (token.content === '[MASK]' ? { ...token, lstrip: true, rstrip: true } : token));
    const heed = Tokenizer.fromJSON({ ...json, added_tokens: tokens });
    const reference = new ReferenceTokenizer({ ...json, added_tokens: tokens }, REFERENCE_CONFIG);
    for (const text of TEXTS) expect(heed.encode(text).tokens).toEqual(reference.encode(text).tokens);
    const { offsets, tokens: pieces } = heed.encode('the   [MASK]   sat', { addSpecialTokens: false });
    expect(pieces).toEqual(['the', '[MASK]', 'sat']);
    expect(offsets[1]).toEqual([3, 15]);
  });

  it('single_word tokens only match whole words', () => {
    const matcher = new AddedTokenMatcher([{ id: 1, content: 'cat', singleWord: true }]);
    expect(matcher.find('cat concat cats cat.').map((match) => match.start)).toEqual([0, 16]);
  });
});
