import { describe, expect, it } from 'vitest';
import { ARPABET_PHONEMES } from '../cmudict/arpabet';
import { cmudictG2P } from '../cmudict/cmudict-g2p';
import { loadCmudictNode } from '../cmudict/load-cmudict-node';
import { G2P_SPECIAL_TOKENS, g2pVocabularies } from './g2p-vocabularies';

describe('g2pVocabularies on the CMUdict training split', async () => {
  const data = cmudictG2P(await loadCmudictNode());
  const { graphemes, phonemes } = g2pVocabularies(data.train);

  it('puts <pad> <unk> <s> </s> first, then every training symbol by frequency', () => {
    for (const tokenizer of [graphemes, phonemes]) {
      G2P_SPECIAL_TOKENS.forEach((token, id) => expect(tokenizer.tokenToId(token)).toBe(id));
    }
    // Reference counts recomputed here.
    const letterCounts = new Map<string, number>();
    for (const example of data.train) for (const letter of example.word) letterCounts.set(letter, (letterCounts.get(letter) ?? 0) + 1);
    const letters = [...letterCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([letter]) => letter);
    expect(letters).toHaveLength(27); // a-z and the apostrophe
    expect(letters.map((letter) => graphemes.tokenToId(letter))).toEqual(letters.map((_, index) => index + 4));
    const phonemeSet = new Set(Array.from({ length: 43 }, (_, id) => phonemes.idToToken(id)));
    expect(phonemeSet).toEqual(new Set([...G2P_SPECIAL_TOKENS, ...ARPABET_PHONEMES]));
    expect(phonemes.idToToken(43)).toBeUndefined();
  });

  it('encodes words and pronunciations, and decodes them back', () => {
    const word = graphemes.encode("don't");
    expect(word.tokens).toEqual(['d', 'o', 'n', "'", 't']);
    expect(graphemes.decode(word.ids)).toBe("don't");
    expect(graphemes.encode('é').ids).toEqual([1]);
    const target = phonemes.encode('P EY S T');
    expect(target.tokens).toEqual(['<s>', 'P', 'EY', 'S', 'T', '</s>']);
    expect(phonemes.decode(target.ids, { skipSpecialTokens: true })).toBe('P EY S T');
  });

  it('is the same for the same split in another order, and names bad input', () => {
    const again = g2pVocabularies([...data.train].reverse());
    expect(again.graphemes.toJSON()).toEqual(graphemes.toJSON());
    expect(again.phonemes.toJSON()).toEqual(phonemes.toJSON());
    expect(() => g2pVocabularies([])).toThrow(/train must be a non-empty array/);
  });
});
