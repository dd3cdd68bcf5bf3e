import { describe, expect, it } from 'vitest';
import { g2pVocabularies } from '../data/vocab/g2p-vocabularies';
import { g2pPairs, lengthBatches, scoreG2P, tokenizerVocabSize } from './g2p-task';

const examples = [
  { word: 'paste', graphemes: [...'paste'], references: [['P', 'EY', 'S', 'T']] },
  { word: 'read', graphemes: [...'read'], references: [['R', 'IY', 'D'], ['R', 'EH', 'D']] },
];

describe('g2p task helpers', () => {
  it('scores against every reference: WER by exact match, PER to the closest reference', () => {
    const scores = scoreG2P([['P', 'EY', 'S', 'T'], ['R', 'EH', 'D']], examples.map((e) => e.references));
    expect(scores).toEqual({ wer: 0, per: 0, words: 2 });
    const wrong = scoreG2P([['P', 'EY', 'S'], ['R', 'AH', 'D']], examples.map((e) => e.references));
    expect(wrong.wer).toBe(1);
    expect(wrong.per).toBeCloseTo(2 / 7, 10); // one deletion of 4 + one substitution of 3
  });

  it('makes one pair per reference with bos … eos targets', () => {
    const vocabularies = g2pVocabularies(examples);
    const pairs = g2pPairs(examples, { source: vocabularies.graphemes, target: vocabularies.phonemes });
    expect(pairs).toHaveLength(3);
    expect(pairs[0]!.source).toHaveLength(5);
    expect(pairs[0]!.target[0]).toBe(2);
    expect(pairs[0]!.target.at(-1)).toBe(3);
    expect(tokenizerVocabSize(vocabularies.phonemes)).toBe(4 + 8);
  });

  it('batches every pair exactly once, deterministically for a seed', () => {
    const pairs = Array.from({ length: 50 }, (_, i) => ({ source: Array.from({ length: 1 + (i % 7) }, () => 5), target: [2, 3] }));
    const batches = lengthBatches(pairs, 8, 1);
    expect(batches.reduce((n, b) => n + b.source.length, 0)).toBe(50);
    expect(lengthBatches(pairs, 8, 1)).toEqual(batches);
    expect(lengthBatches(pairs, 8, 2)).not.toEqual(batches);
    // A batch size of 0 made `heed train g2p --batch-size 0` loop forever.
    expect(() => lengthBatches(pairs, 0, 1)).toThrow('lengthBatches: batchSize must be a positive integer; got 0');
  });
});
