import { MetaspaceDecoder as ReferenceMetaspaceDecoder, StripNormalizer, Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { identityText, Metaspace, MetaspaceDecoder, Strip, Tokenizer, Unigram } from '../src/index';
import { HARD_CASES, realSentences } from '../src/__fixtures__/pretrained';

const TEXTS = [...HARD_CASES, ...realSentences(300), ' a', '▁a b', '  '];

describe('SentencePiece pipeline parts against @huggingface/tokenizers', () => {
  it('Strip normalizer (left, right, both)', () => {
    for (const [left, right] of [[true, true], [true, false], [false, true]] as const) {
      const ours = new Strip({ left, right });
      const theirs = new StripNormalizer({ type: 'Strip', strip_left: left, strip_right: right } as never);
      for (const text of TEXTS) expect(ours.normalize(identityText(text)).text, JSON.stringify(text)).toBe(theirs.normalize(text));
    }
  });

  it('Metaspace decoder', () => {
    // (@huggingface/tokenizers 0.2 ignores prepend_scheme here: compared with 'always')
    for (const scheme of ['always'] as const) {
      const ours = new MetaspaceDecoder('▁', scheme);
      const theirs = new ReferenceMetaspaceDecoder({ type: 'Metaspace', replacement: '▁', prepend_scheme: scheme } as never);
      for (const tokens of [['▁Hey', '▁friend', '!'], ['Hey', '▁▁x'], ['▁', '▁a'], ['▁▁a']]) {
        expect(ours.decodeChain(tokens)).toEqual((theirs as unknown as { decode_chain(tokens: string[]): string[] }).decode_chain(tokens));
      }
    }
    expect(new MetaspaceDecoder('▁', 'never').decode(['▁Hey', '▁you'])).toBe(' Hey you');
  });

  it('Metaspace pre-tokenizer (prepend "always", no split) + Unigram gives the reference ids', () => {
    const vocab: Array<[string, number]> = [['<unk>', 0], ['▁', -2], ['▁a', -3], ['a', -4], ['b', -4.5], ['▁ab', -5], ['▁the', -3.5], ['t', -5], ['h', -5], ['e', -5]];
    const json = {
      version: '1.0',
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
      post_processor: null,
      decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: false },
      model: { type: 'Unigram', unk_id: 0, vocab, byte_fallback: false },
    };
    const heed = Tokenizer.fromJSON(json);
    const reference = new ReferenceTokenizer(json as never, {});
    for (const text of ['ab the a', 'the  bab', '▁ab', 'xyz ab', 'a😀b']) {
      expect(heed.encode(text).tokens, text).toEqual(reference.encode(text).tokens);
      expect(heed.encode(text).ids, text).toEqual(reference.encode(text).ids);
      expect(heed.decode(heed.encode(text).ids)).toBe(reference.decode(reference.encode(text).ids));
    }
  });

  it('Metaspace split cuts before every "▁" and "first" prepends only at the start of the input', () => {
    const words = (scheme: 'always' | 'first' | 'never', text: string, offset = 0) =>
      new Metaspace({ prependScheme: scheme }).preTokenize(identityText(text, offset)).map((word) => word.text);
    expect(words('always', 'Hey  friend')).toEqual(['▁Hey', '▁', '▁friend']);
    expect(words('first', 'Hey friend', 5)).toEqual(['Hey', '▁friend']);
    expect(words('first', 'Hey friend', 0)).toEqual(['▁Hey', '▁friend']);
    expect(words('never', '▁Hey')).toEqual(['▁Hey']);
  });

  it('Unigram fuses unknown runs and offsets point into the word', () => {
    const model = new Unigram({ vocab: [['<unk>', 0], ['a', -1]], unkId: 0 });
    expect(model.tokenize('axyz😀a')).toEqual([
      { id: 1, value: 'a', start: 0, end: 1 },
      { id: 0, value: 'xyz😀', start: 1, end: 6 },
      { id: 1, value: 'a', start: 6, end: 7 },
    ]);
  });
});
