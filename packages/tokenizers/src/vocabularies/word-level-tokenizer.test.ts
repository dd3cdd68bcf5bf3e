import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../tokenizer';
import { buildWordLevelTokenizer } from './word-level-tokenizer';

// ARPAbet transcriptions as in the CMU Pronouncing Dictionary.
const PRONUNCIATIONS = ['HH AH0 L OW1', 'W ER1 L D', 'K AE1 T', 'D AO1 G', 'HH AW1 S', 'T AH0 M AA1 T OW2', 'L AW1 D'];

describe('buildWordLevelTokenizer (phoneme symbols out)', () => {
  const phonemes = buildWordLevelTokenizer(PRONUNCIATIONS, { addBosEos: true });

  it('maps each phoneme to one id, wrapped in [BOS] … [EOS]', () => {
    const encoding = phonemes.encode('HH AH0 L OW1');
    expect(encoding.tokens).toEqual(['[BOS]', 'HH', 'AH0', 'L', 'OW1', '[EOS]']);
    expect(encoding.ids[0]).toBe(2);
    expect(encoding.ids.at(-1)).toBe(3);
    expect(phonemes.decode(encoding.ids, { skipSpecialTokens: true })).toBe('HH AH0 L OW1');
  });

  it('counts symbols: D and L (3 times each) come first, ties in code-unit order', () => {
    expect([phonemes.idToToken(4), phonemes.idToToken(5)]).toEqual(['D', 'L']);
    expect(phonemes.encode('ZH', { addSpecialTokens: false }).tokens).toEqual(['[UNK]']);
  });

  it('pads a batch of targets to the longest', () => {
    const batch = phonemes.encodeBatch(['K AE1 T', 'T AH0 M AA1 T OW2'], { padding: 'longest' });
    expect(batch.map((encoding) => encoding.ids.length)).toEqual([8, 8]);
    expect(batch[0]!.attentionMask).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
    expect(batch[0]!.tokens.slice(5)).toEqual(['[PAD]', '[PAD]', '[PAD]']);
  });

  it('round-trips through tokenizer.json, and @huggingface/tokenizers encodes the JSON identically', () => {
    const json = JSON.parse(JSON.stringify(phonemes.toJSON())) as Record<string, unknown>;
    const reference = new ReferenceTokenizer(json, { unk_token: '[UNK]', clean_up_tokenization_spaces: false });
    for (const text of [...PRONUNCIATIONS, 'ZH AH0 XX']) {
      expect(Tokenizer.fromJSON(json).encode(text).ids).toEqual(phonemes.encode(text).ids);
      expect(reference.encode(text).ids).toEqual(phonemes.encode(text).ids);
    }
  });
});
