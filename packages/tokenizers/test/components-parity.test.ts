// Each supported normalizer, pre-tokenizer and post-processor, swapped into a bert-base-uncased
// tokenizer.json, must encode exactly as @huggingface/tokenizers does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bertBaseUncasedJSON, gpt2JSON, HARD_CASES, realSentences } from '../src/__fixtures__/pretrained';
import { comparableWithReference } from '../src/__fixtures__/reference-differences';
import { buildPair, firstMismatch } from './parity-helpers';

const randomTexts = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 })), { numRuns: 1500, seed: 3 });
const texts = [...HARD_CASES, ...realSentences(1500), ...randomTexts].filter(comparableWithReference);
const asciiTexts = texts.filter((text) => /^[\x20-\x7e]*$/.test(text));

const bert = bertBaseUncasedJSON();
const normalizers: Array<[string, unknown]> = [
  ['NFC', { type: 'NFC' }],
  ['NFD', { type: 'NFD' }],
  ['NFKC', { type: 'NFKC' }],
  ['NFKD', { type: 'NFKD' }],
  ['Lowercase', { type: 'Lowercase' }],
  ['Sequence NFD + StripAccents + Lowercase', { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }] }],
  ['BertNormalizer without lowercase', { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false }],
  ['BertNormalizer lowercase, keep accents', { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true }],
  ['BertNormalizer strip accents only, no cleaning, no CJK', { type: 'BertNormalizer', clean_text: false, handle_chinese_chars: false, strip_accents: true, lowercase: false }],
];

describe('component parity with @huggingface/tokenizers', () => {
  for (const [name, normalizer] of normalizers) {
    it(`normalizer ${name}`, () => {
      const { heed, reference } = buildPair({ ...bert, normalizer });
      expect(firstMismatch(heed, reference, texts)).toBeNull();
    });
  }

  it('pre-tokenizer WhitespaceSplit', () => {
    const { heed, reference } = buildPair({ ...bert, pre_tokenizer: { type: 'WhitespaceSplit' } });
    expect(firstMismatch(heed, reference, texts)).toBeNull();
  });

  it('pre-tokenizer Whitespace (ASCII text: the reference uses ASCII \\w, heed Unicode \\w like Rust)', () => {
    const { heed, reference } = buildPair({ ...bert, pre_tokenizer: { type: 'Whitespace' } });
    expect(firstMismatch(heed, reference, asciiTexts)).toBeNull();
    expect(heed.encode('naïve café', { addSpecialTokens: false }).tokens).toEqual(['naive', 'cafe']);
  });

  it('pre-tokenizer Split (Removed, Isolated, inverted)', () => {
    // The reference keeps the separators of a String pattern with behavior Removed; Rust removes them.
    const { heed } = buildPair({ ...bert, pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'Removed', invert: false } });
    expect(heed.encode(' a  b ', { addSpecialTokens: false }).tokens).toEqual(['a', 'b']);
    for (const split of [
      { type: 'Split', pattern: { Regex: '\\S' }, behavior: 'Removed', invert: true },
      { type: 'Split', pattern: { Regex: '[,.!?]' }, behavior: 'Isolated', invert: false },
    ]) {
      const { heed, reference } = buildPair({ ...bert, pre_tokenizer: split });
      expect(firstMismatch(heed, reference, texts)).toBeNull();
    }
  });

  it('pre-tokenizer ByteLevel with add_prefix_space (GPT-2 vocabulary)', () => {
    const gpt2 = gpt2JSON();
    const { heed, reference } = buildPair({ ...gpt2, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } });
    expect(firstMismatch(heed, reference, texts)).toBeNull();
    expect(heed.encode('Hello').offsets).toEqual([[0, 5]]);
  });

  it('post-processor BertProcessing, single and pair', () => {
    const { heed, reference } = buildPair({ ...bert, post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] } });
    expect(firstMismatch(heed, reference, texts.slice(0, 500))).toBeNull();
    for (let index = 0; index + 1 < 400; index += 2) {
      const expected = reference.encode(texts[index]!, { text_pair: texts[index + 1]!, return_token_type_ids: true });
      const actual = heed.encode(texts[index]!, { pair: texts[index + 1]! });
      expect(actual.ids).toEqual(expected.ids);
      expect(actual.typeIds).toEqual(expected.token_type_ids);
    }
  });

  it('no post-processor and no normalizer', () => {
    const { heed, reference } = buildPair({ ...bert, post_processor: null, normalizer: null });
    expect(firstMismatch(heed, reference, texts)).toBeNull();
  });
});
