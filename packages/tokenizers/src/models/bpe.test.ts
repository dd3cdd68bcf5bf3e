import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';
import { BPE } from './bpe';

describe('BPE', () => {
  it('merges every pair of a word of 2^24 + 6 characters (the packed queue key does not wrap)', () => {
    const model = new BPE({ vocab: new Map([['a', 0], ['aa', 1]]), merges: [['a', 'a']] });
    const tokens = model.tokenize('a'.repeat(2 ** 24 + 6));
    expect(tokens.length).toBe(2 ** 23 + 3);
    expect(tokens.every((token) => token.id === 1)).toBe(true);
    expect(tokens.at(-1)).toEqual({ id: 1, value: 'aa', start: 2 ** 24 + 4, end: 2 ** 24 + 6 });
  });

  it('caches only words shorter than 256 units, as Hugging Face does', () => {
    const model = new BPE({ vocab: new Map([['a', 0], ['aa', 1]]), merges: [['a', 'a']] });
    const short = 'a'.repeat(255);
    const long = 'a'.repeat(256);
    expect(model.tokenize(short)).toBe(model.tokenize(short));
    expect(model.tokenize(long)).not.toBe(model.tokenize(long));
    expect(model.tokenize(long)).toEqual(model.tokenize(long));
  });

  it('byte_fallback: true maps unknown characters to their UTF-8 byte tokens, like @huggingface/tokenizers, and toJSON keeps it', () => {
    const vocab: Record<string, number> = { '<unk>': 0, a: 1, b: 2, ab: 3 };
    for (let byte = 0; byte < 256; byte++) vocab[`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`] = 4 + byte;
    const json = {
      version: '1.0',
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: null,
      model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, vocab, merges: [['a', 'b']] },
    };
    const heed = Tokenizer.fromJSON(json);
    const reference = new ReferenceTokenizer(json, {});
    for (const text of ['aé', 'abé😀ab', '€a', 'ab']) {
      expect(heed.encode(text).tokens, text).toEqual(reference.encode(text).tokens);
      expect(heed.encode(text).ids, text).toEqual(reference.encode(text).ids);
    }
    expect(heed.encode('aé').tokens).toEqual(['a', '<0xC3>', '<0xA9>']);
    expect(heed.encode('aé').offsets).toEqual([[0, 1], [1, 2], [1, 2]]);
    expect((heed.toJSON().model as { byte_fallback: unknown }).byte_fallback).toBe(true);
    // without byte fallback the same vocabulary gives the unknown token
    const plain = Tokenizer.fromJSON({ ...json, model: { ...json.model, byte_fallback: false } });
    expect(plain.encode('aé').tokens).toEqual(['a', '<unk>']);
  });
});
