import { MetaspaceDecoder as ReferenceMetaspaceDecoder, PrecompiledNormalizer, StripNormalizer, Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { identityText, Metaspace, MetaspaceDecoder, Precompiled, sentencePieceToTokenizerJSON, Strip, Tokenizer, Unigram } from '../src/index';
import { modelBytes, SENTENCEPIECE } from './sentencepiece-fixtures';
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

  it('Precompiled without a charsmap (null, as some Hub files have) leaves text as it is; a corrupt one is an error', () => {
    const empty = Precompiled.fromJSON({ type: 'Precompiled', precompiled_charsmap: null }, 'normalizer');
    expect(empty.normalize(identityText('ＡＢ\tﬁ')).text).toBe('ＡＢ\tﬁ');
    expect(() => Precompiled.fromJSON({ type: 'Precompiled', precompiled_charsmap: btoa('\xff\xff\x00\x00abcd') }, 'normalizer')).toThrow(
      'normalizer.precompiled_charsmap: corrupt charsmap: its trie of 65535 bytes does not fit the 4 bytes after the size',
    );
  });

  it('Unigram byte fallback on a 100,000-emoji unknown run (400,000 byte tokens, no argument-spread overflow)', () => {
    const vocab: Array<[string, number]> = [['<unk>', 0], ['a', -1]];
    for (let byte = 0; byte < 256; byte++) vocab.push([`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, 0]);
    const model = new Unigram({ vocab, unkId: 0, byteFallback: true });
    const tokens = model.tokenize(`a${'😀'.repeat(100_000)}`);
    expect(tokens.length).toBe(1 + 400_000);
    expect(tokens.slice(1, 5).map((token) => token.value)).toEqual(['<0xF0>', '<0x9F>', '<0x98>', '<0x80>']);
    expect(tokens.at(-1)).toEqual({ id: 2 + 0x80, value: '<0x80>', start: 199_999, end: 200_001 });
  });

  it('Unigram fuses unknown runs and offsets point into the word', () => {
    const model = new Unigram({ vocab: [['<unk>', 0], ['a', -1]], unkId: 0 });
    expect(model.tokenize('axyz😀a')).toEqual([
      { id: 1, value: 'a', start: 0, end: 1 },
      { id: 0, value: 'xyz😀', start: 1, end: 6 },
      { id: 1, value: 'a', start: 6, end: 7 },
    ]);
  });

  it('a Hub-style T5/XLM-R tokenizer.json (Precompiled, Sequence[WhitespaceSplit, Metaspace]) encodes like the reference and sentencepiece', () => {
    const converted = sentencePieceToTokenizerJSON(modelBytes('unigram-nmt-nfkc').bytes);
    const precompiled = (converted.normalizer as { normalizers: Array<Record<string, unknown>> }).normalizers[0]!;
    const json = {
      ...converted,
      normalizer: { type: 'Sequence', normalizers: [precompiled, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Metaspace', replacement: '▁', add_prefix_space: true }] },
      decoder: { type: 'Metaspace', replacement: '▁', add_prefix_space: true },
    };
    const heed = Tokenizer.fromJSON(json);
    const reference = new ReferenceTokenizer(json as never, {});
    const exact = Precompiled.fromJSON(precompiled, 'normalizer');
    const approximate = new PrecompiledNormalizer(precompiled as never);
    const fixture = SENTENCEPIECE.configs.find((config) => config.name === 'unigram-nmt-nfkc')!;
    let compared = 0;
    SENTENCEPIECE.texts.forEach((text, index) => {
      const ours = heed.encode(text, { addSpecialTokens: false }).ids;
      // held-out sentences with plain single spaces: the same pieces as sentencepiece
      if (index < SENTENCEPIECE.heldOut && /^\S+( \S+)*$/.test(text)) expect(ours, text).toEqual(fixture.ids[index]);
      if (exact.normalize(identityText(text)).text !== approximate.normalize(text)) return;
      compared++;
      expect(ours, text).toEqual(reference.encode(text, { add_special_tokens: false } as never).ids);
    });
    expect(compared).toBeGreaterThan(400);
    expect(Tokenizer.fromJSON(JSON.parse(JSON.stringify(heed.toJSON()))).encode('Hello  world').ids).toEqual(heed.encode('Hello  world').ids);
  });
});
