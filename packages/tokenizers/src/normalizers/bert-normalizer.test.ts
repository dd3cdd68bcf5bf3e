import { BertNormalizer as ReferenceBertNormalizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { identityText } from '../normalized-text';
import { BertNormalizer } from './bert-normalizer';

const reference = new ReferenceBertNormalizer({ type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, lowercase: true });
const normalizer = new BertNormalizer();

describe('BertNormalizer', () => {
  it('matches the reference on accents, controls, whitespace and CJK', () => {
    for (const text of ['Héllo\tWörld\u0000!', 'ΑΘΗΝΑ Σ', '中文 and 車 (U+F902)', 'İstanbul ǅ', 'a\u200bb\ufeffc\u00a0d']) {
      expect(normalizer.normalize(identityText(text)).text).toBe(reference.normalize(text));
    }
  });

  it('maps every output unit to the original character it came from', () => {
    const text = 'Ça va 中';
    const { text: normalized, starts, ends } = normalizer.normalize(identityText(text));
    expect(normalized).toBe('ca va  中 ');
    expect([...normalized].map((_, index) => text.slice(starts[index], ends[index]))).toEqual(['Ç', 'a', ' ', 'v', 'a', ' ', '中', '中', '中']);
  });

  it("lowercases per character like Rust's NormalizedString::lowercase: no final sigma", () => {
    // The reference lowercases the whole string and gives 'οδος'.
    expect(normalizer.normalize(identityText('ΟΔΟΣ')).text).toBe('οδοσ');
  });

  it('spaces out CJK ideographs outside the BMP too (Extension B), like BERT and the Rust normalizer', () => {
    // @huggingface/tokenizers 0.2 walks UTF-16 units and leaves these joined: a known divergence.
    expect(normalizer.normalize(identityText('𠀀𠀁')).text).toBe(' 𠀀  𠀁 ');
  });

  it('round-trips its options through JSON', () => {
    const custom = new BertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false });
    expect(BertNormalizer.fromJSON(JSON.parse(JSON.stringify(custom.toJSON())) as Record<string, unknown>, 'normalizer')).toEqual(custom);
    expect(custom.normalize(identityText('Café\u0001')).text).toBe('Cafe\u0001');
  });
});
