// Every component's config survives toJSON → JSON text → fromJSON → toJSON unchanged.
import { describe, expect, it } from 'vitest';
import type {
  TemplateProcessing} from '../src/index';
import {
  BertNormalizer,
  BertPreTokenizer,
  BertProcessing,
  BPE,
  buildCharLevelTokenizer,
  buildWordLevelTokenizer,
  ByteLevel,
  ByteLevelDecoder,
  ByteLevelProcessing,
  decoderFromJSON,
  FuseDecoder,
  Lowercase,
  modelFromJSON,
  normalizerFromJSON,
  postProcessorFromJSON,
  preTokenizerFromJSON,
  SequenceNormalizer,
  Split,
  StripAccents,
  Tokenizer,
  UnicodeNormalizer,
  Whitespace,
  WhitespaceSplit,
  WordLevel,
  WordPiece,
  WordPieceDecoder,
} from '../src/index';
import { bertBaseUncasedJSON, gpt2JSON } from '../src/__fixtures__/pretrained';

/** The shared round-trip check: the JSON text of a component rebuilds an identical component. */
function expectRoundTrip<T extends { toJSON(): unknown }>(component: T, fromJSON: (json: unknown) => { toJSON(): unknown } | null): void {
  const json: unknown = JSON.parse(JSON.stringify(component.toJSON()));
  const rebuilt = fromJSON(json);
  expect(rebuilt).not.toBeNull();
  expect(rebuilt!.constructor).toBe(component.constructor);
  expect(rebuilt!.toJSON()).toEqual(json);
}

const vocab = new Map([['[UNK]', 0], ['a', 1], ['b', 2], ['ab', 3], ['##b', 4]]);

describe('JSON round trips', () => {
  it('normalizers', () => {
    for (const normalizer of [
      new BertNormalizer({ lowercase: false, stripAccents: true, cleanText: false, handleChineseChars: false }),
      new Lowercase(),
      new StripAccents(),
      new UnicodeNormalizer('NFKC'),
      new SequenceNormalizer([new UnicodeNormalizer('NFD'), new StripAccents(), new Lowercase()]),
    ]) {
      expectRoundTrip(normalizer, (json) => normalizerFromJSON(json));
    }
  });

  it('pre-tokenizers', () => {
    for (const preTokenizer of [
      new BertPreTokenizer(),
      new ByteLevel({ addPrefixSpace: true, trimOffsets: false, useRegex: false }),
      new Whitespace(),
      new WhitespaceSplit(),
      new Split({ pattern: { Regex: '\\d+' }, behavior: 'Isolated', invert: false }),
      new Split({ pattern: { String: '-' }, behavior: 'Removed', invert: true }),
    ]) {
      expectRoundTrip(preTokenizer, (json) => preTokenizerFromJSON(json));
    }
  });

  it('models', () => {
    for (const model of [
      new WordPiece({ vocab, unkToken: '[UNK]', maxInputCharsPerWord: 7 }),
      new BPE({ vocab, merges: [['a', 'b']], unkToken: '[UNK]', fuseUnk: true }),
      new BPE({ vocab, merges: [['a', '##b']], continuingSubwordPrefix: '##' }),
      new WordLevel({ vocab, unkToken: '[UNK]' }),
    ]) {
      expectRoundTrip(model, (json) => modelFromJSON(json));
    }
  });

  it('post-processors and decoders', () => {
    const template = postProcessorFromJSON(bertBaseUncasedJSON().post_processor) as TemplateProcessing;
    for (const processor of [template, new BertProcessing({ cls: ['[CLS]', 1], sep: ['[SEP]', 2] }), new ByteLevelProcessing({ trimOffsets: false })]) {
      expectRoundTrip(processor, (json) => postProcessorFromJSON(json));
    }
    for (const decoder of [new WordPieceDecoder({ prefix: '@@', cleanup: false }), new ByteLevelDecoder(), new FuseDecoder()]) {
      expectRoundTrip(decoder, (json) => decoderFromJSON(json));
    }
  });

  it('whole tokenizers, pretrained and built from data', () => {
    for (const tokenizer of [
      Tokenizer.fromJSON(bertBaseUncasedJSON()),
      Tokenizer.fromJSON({ ...gpt2JSON(), padding: { strategy: 'BatchLongest', pad_token: '<|endoftext|>', pad_id: 50256, pad_type_id: 0 } }),
      buildCharLevelTokenizer(['hello', 'world'], { lowercase: true, addBosEos: true }),
      buildWordLevelTokenizer(['HH AH0 L OW1']),
    ]) {
      expectRoundTrip(tokenizer, (json) => Tokenizer.fromJSON(json));
    }
  });
});
