import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { realSentences } from '../__fixtures__/pretrained';
import { Tokenizer } from '../tokenizer';
import { buildCharLevelTokenizer } from './char-level-tokenizer';

const words = realSentences(3000).flatMap((sentence) => sentence.toLowerCase().match(/\p{L}+/gu) ?? []);

describe('buildCharLevelTokenizer', () => {
  const graphemes = buildCharLevelTokenizer(words, { lowercase: true, addBosEos: true });

  it('turns each character into a token and decodes back', () => {
    const encoding = graphemes.encode('Hello');
    expect(encoding.tokens).toEqual(['[BOS]', 'h', 'e', 'l', 'l', 'o', '[EOS]']);
    expect(encoding.offsets.slice(1, -1)).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
    expect(graphemes.decode(encoding.ids, { skipSpecialTokens: true })).toBe('hello');
  });

  it('orders the vocabulary by frequency after the special tokens', () => {
    const counts = new Map<string, number>();
    for (const word of words) for (const char of word) counts.set(char, (counts.get(char) ?? 0) + 1);
    const mostFrequent = [...counts].sort((left, right) => right[1] - left[1])[0]![0];
    expect(graphemes.idToToken(4)).toBe(mostFrequent);
    expect(graphemes.model.getVocab().size).toBe(4 + counts.size);
  });

  it('maps unseen characters to [UNK]', () => {
    expect(graphemes.encode('a☃b', { addSpecialTokens: false }).tokens).toEqual(['a', '[UNK]', 'b']);
  });

  it('is deterministic: the same data in another order gives the same tokenizer.json', () => {
    const again = buildCharLevelTokenizer([...words].reverse(), { lowercase: true, addBosEos: true });
    expect(again.toJSON()).toEqual(graphemes.toJSON());
  });

  it('honours minFrequency and maxSize', () => {
    const small = buildCharLevelTokenizer(['aaab', 'ac'], { minFrequency: 2 });
    expect([...small.model.getVocab().keys()]).toEqual(['[PAD]', '[UNK]', '[BOS]', '[EOS]', 'a']);
    expect(buildCharLevelTokenizer(words, { maxSize: 10 }).model.getVocab().size).toBe(10);
    expect(() => buildCharLevelTokenizer(words, { maxSize: 2 })).toThrow(/maxSize: 2 is smaller than the 4 special tokens/);
  });

  it('round-trips through tokenizer.json, and @huggingface/tokenizers encodes the JSON identically', () => {
    const json = JSON.parse(JSON.stringify(graphemes.toJSON())) as Record<string, unknown>;
    const loaded = Tokenizer.fromJSON(json);
    const reference = new ReferenceTokenizer(json, { unk_token: '[UNK]', clean_up_tokenization_spaces: false });
    for (const word of words.slice(0, 2000)) {
      expect(loaded.encode(word).ids).toEqual(graphemes.encode(word).ids);
      expect(loaded.encode(word).ids).toEqual(reference.encode(word).ids);
    }
  });
});
