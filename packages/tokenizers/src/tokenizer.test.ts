import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { bertBaseUncasedJSON, gpt2JSON, realSentences } from './__fixtures__/pretrained';
import { TokenizerConfigError } from './json-fields';
import { Tokenizer } from './tokenizer';

const bert = Tokenizer.fromJSON(bertBaseUncasedJSON());
const gpt2 = Tokenizer.fromJSON(gpt2JSON());
const sentences = realSentences(200);

describe('Tokenizer.encode', () => {
  it('returns offsets into the original string, attention mask and type ids', () => {
    const text = 'Héllo, wörld!';
    const encoding = bert.encode(text);
    expect(encoding.tokens).toEqual(['[CLS]', 'hello', ',', 'world', '!', '[SEP]']);
    expect(encoding.offsets.map(([start, end]) => text.slice(start, end))).toEqual(['', 'Héllo', ',', 'wörld', '!', '']);
    expect(encoding.attentionMask).toEqual([1, 1, 1, 1, 1, 1]);
    expect(encoding.specialTokensMask).toEqual([1, 0, 0, 0, 0, 1]);
  });

  it('encodes pairs with type ids 0 then 1 and offsets into each text', () => {
    const encoding = bert.encode('Is it?', { pair: 'Yes.' });
    expect(encoding.tokens).toEqual(['[CLS]', 'is', 'it', '?', '[SEP]', 'yes', '.', '[SEP]']);
    expect(encoding.typeIds).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(encoding.sequenceIds).toEqual([null, 0, 0, 0, null, 1, 1, null]);
    expect(encoding.offsets[5]).toEqual([0, 3]);
  });

  it('reports the vocabulary size (embedding rows) of each model', () => {
    expect(bert.vocabSize).toBe(30522);
    expect(gpt2.vocabSize).toBe(50257);
  });

  it('leaves out special tokens with addSpecialTokens: false', () => {
    expect(bert.encode('Hello', { addSpecialTokens: false }).ids).toEqual([7592]);
  });

  it('keeps GPT-2 offsets on the leading space (trim_offsets false), one per byte-level token', () => {
    const encoding = gpt2.encode('Hello world');
    expect(encoding.tokens).toEqual(['Hello', 'Ġworld']);
    expect(encoding.offsets).toEqual([[0, 5], [5, 11]]);
  });
});

describe('Tokenizer.encodeBatch', () => {
  it("pads and truncates like the seeds' max_length=128, truncation=True, padding='max_length'", () => {
    const long = sentences.find((sentence) => bert.encode(sentence).ids.length > 128) ?? 'word '.repeat(300);
    const batch = bert.encodeBatch([long, 'Short one.'], { maxLength: 128, truncation: true, padding: 'max_length' });
    for (const encoding of batch) {
      expect(encoding.ids).toHaveLength(128);
      expect(encoding.attentionMask).toHaveLength(128);
      expect(encoding.typeIds).toHaveLength(128);
    }
    const full = bert.encode(long).ids;
    expect(batch[0]!.ids.slice(0, 127)).toEqual(full.slice(0, 127));
    expect(batch[0]!.ids[127]).toBe(102);
    expect(batch[1]!.ids.slice(0, 5)).toEqual(bert.encode('Short one.').ids);
    expect(batch[1]!.ids.slice(5)).toEqual(new Array(123).fill(0));
    expect(batch[1]!.attentionMask.slice(4, 6)).toEqual([1, 0]);
  });

  it("pads to the longest with padding: 'longest'", () => {
    const batch = bert.encodeBatch(['a b c d', 'a'], { padding: 'longest' });
    expect(batch.map((encoding) => encoding.ids.length)).toEqual([6, 6]);
    expect(batch[1]!.tokens).toEqual(['[CLS]', 'a', '[SEP]', '[PAD]', '[PAD]', '[PAD]']);
  });

  it('truncates pairs longest-first, keeping the special tokens', () => {
    const [encoding] = bert.encodeBatch([['one two three four five six seven eight', 'a b']], { maxLength: 9, truncation: true });
    expect(encoding!.tokens).toEqual(['[CLS]', 'one', 'two', 'three', 'four', '[SEP]', 'a', 'b', '[SEP]']);
  });

  it('pads GPT-2 with <|endoftext|> when it has no [PAD]', () => {
    const batch = gpt2.encodeBatch(['Hello world', 'Hi'], { padding: 'longest' });
    expect(batch[1]!.ids).toEqual([17250, 50256]);
  });
});

describe('Tokenizer.decode', () => {
  it('decodes with and without special tokens', () => {
    const { ids } = bert.encode("Hello, my dog isn't cute");
    // the WordPiece decoder cleans up per token, so "isn ' t" stays (as in Hugging Face tokenizers)
    expect(bert.decode(ids)).toBe("[CLS] hello, my dog isn ' t cute [SEP]");
    expect(bert.decode(ids, { skipSpecialTokens: true })).toBe("hello, my dog isn ' t cute");
  });

  it('cleans up tokenization spaces on request, like the reference with its default config', () => {
    const reference = new ReferenceTokenizer(bertBaseUncasedJSON(), {});
    for (const sentence of sentences) {
      const { ids } = bert.encode(sentence);
      expect(bert.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: true })).toBe(reference.decode(ids, { skip_special_tokens: true }));
    }
    expect(bert.decode(bert.encode("isn't").ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: true })).toBe("isn't");
  });
});

describe('bad input', () => {
  it('names the id that is outside the vocabulary in decode', () => {
    expect(() => bert.decode([101, 30522])).toThrow(/ids\[1\] = number 30522 is not an id of the vocabulary/);
    expect(() => bert.decode([-1])).toThrow(/ids\[0\] = number -1/);
    expect(() => bert.decode([1.5])).toThrow(RangeError);
  });

  it('rejects maxLength smaller than the special tokens need', () => {
    expect(() => bert.encode('hello', { maxLength: 1, truncation: true })).toThrow(/maxLength: 1 is smaller than the 2 special tokens every sequence needs/);
    expect(() => bert.encode('a', { pair: 'b', maxLength: 2, truncation: true })).toThrow(/3 special tokens every pair needs/);
    expect(() => bert.encodeBatch(['a'], { padding: 'max_length' })).toThrow(/maxLength: required/);
    expect(() => bert.encodeBatch(['a'], { maxLength: -3, truncation: true })).toThrow(/maxLength: expected a non-negative integer, got number -3/);
    // NaN and Infinity are named as such, not as JSON's "null".
    expect(() => bert.encode('a', { maxLength: Number.NaN, truncation: true })).toThrow(/maxLength: expected a non-negative integer, got number NaN/);
    expect(() => bert.encode('a', { maxLength: Number.POSITIVE_INFINITY, truncation: true })).toThrow(/got number Infinity/);
    expect(() => bert.decode([Number.NaN])).toThrow(/ids\[0\] = number NaN/);
  });

  it('rejects non-string inputs naming their position', () => {
    expect(() => bert.encodeBatch(['ok', 42 as unknown as string])).toThrow(/inputs\[1\]: expected a string or \[string, string\], got number 42/);
  });

  it('names the JSON field path of a malformed tokenizer.json', () => {
    const json = bertBaseUncasedJSON();
    const model = json.model as Record<string, unknown>;
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...model, vocab: { a: 'x' } } })).toThrow(/model\.vocab\["a"\]: expected a non-negative integer id, got string "x"/);
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...model, vocab: undefined } })).toThrow(TokenizerConfigError);
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...model, unk_token: 5 } })).toThrow(/model\.unk_token: expected a string, got number 5/);
    expect(() => Tokenizer.fromJSON({ ...json, normalizer: { type: 'BertNormalizer', lowercase: 'yes' } })).toThrow(/normalizer\.lowercase: expected a boolean, got string "yes"/);
    expect(() => Tokenizer.fromJSON({ ...json, added_tokens: [{ id: 1 }] })).toThrow(/added_tokens\[0\]\.content: expected a string, got undefined/);
    expect(() => Tokenizer.fromJSON('nope')).toThrow(/\(tokenizer\.json\): expected JSON text, but it does not parse/);
    expect(() => Tokenizer.fromJSON(42)).toThrow(/\(tokenizer\.json\): expected an object, got number 42/);
    expect(Tokenizer.fromJSON(JSON.stringify(json)).encode('Hello').ids).toEqual([101, 7592, 102]);
    const merges = (gpt2JSON().model as { merges: string[] }).merges;
    expect(() => Tokenizer.fromJSON({ ...gpt2JSON(), model: { ...(gpt2JSON().model as object), merges: [...merges.slice(0, 3), 'a b c'] } })).toThrow(/model\.merges\[3\]: expected "left right"/);
  });

  it('lists the supported types for an unknown component', () => {
    const json = bertBaseUncasedJSON();
    expect(() => Tokenizer.fromJSON({ ...json, normalizer: { type: 'NmtNfkc' } })).toThrow(/normalizer\.type: unsupported type string "NmtNfkc"; supported: BertNormalizer, Lowercase, NFC, NFD, NFKC, NFKD, StripAccents, Sequence, Precompiled, Replace, Strip, Prepend/);
    expect(() => Tokenizer.fromJSON({ ...json, pre_tokenizer: { type: 'Punctuation' } })).toThrow(/pre_tokenizer\.type: .*supported: BertPreTokenizer, ByteLevel, Whitespace, WhitespaceSplit, Split, Metaspace/);
    expect(() => Tokenizer.fromJSON({ ...json, model: { type: 'WordPieceV2' } })).toThrow(/model\.type: .*supported: WordPiece, BPE, WordLevel, Unigram/);
    expect(() => Tokenizer.fromJSON({ ...json, post_processor: { type: 'RobertaProcessing' } })).toThrow(/post_processor\.type: .*supported: TemplateProcessing, BertProcessing, ByteLevel/);
    expect(() => Tokenizer.fromJSON({ ...json, decoder: { type: 'CTC' } })).toThrow(/decoder\.type: .*supported: WordPiece, ByteLevel, Fuse, Metaspace, ByteFallback, Strip, Replace, Sequence/);
    expect(() => Tokenizer.fromJSON({ ...json, post_processor: { ...(json.post_processor as object), single: [{ SpecialToken: { id: '[BOS]', type_id: 0 } }] } })).toThrow(/post_processor\.single\[0\]\.SpecialToken\.id: expected a key of post_processor\.special_tokens/);
  });
});
