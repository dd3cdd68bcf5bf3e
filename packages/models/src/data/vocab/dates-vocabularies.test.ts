import { describe, expect, it } from 'vitest';
import { datesDataset } from '../dates/dates-dataset';
import { datesVocabularies } from './dates-vocabularies';

describe('datesVocabularies', () => {
  const data = datesDataset({ count: 5000, seed: 0 });
  const { inputs, targets } = datesVocabularies(data.train);

  it('covers every character of the held-out inputs and targets', () => {
    const unknown = (text: string, ids: number[]) => (ids.includes(1) ? [text] : []);
    expect([...data.validation, ...data.test].flatMap((example) => unknown(example.input, inputs.encode(example.input).ids))).toEqual([]);
    const targetChars = new Set(data.train.flatMap((example) => [...example.target]));
    expect([...targetChars].sort().join('')).toBe('-0123456789');
    expect(Array.from({ length: 15 }, (_, id) => targets.idToToken(id)).filter(Boolean)).toHaveLength(15); // 4 specials + 11
    expect(targets.idToToken(15)).toBeUndefined();
  });

  it('round-trips inputs (without spaces) and wraps targets in <s> … </s>', () => {
    const example = data.test[0]!;
    expect(inputs.decode(inputs.encode(example.input).ids)).toBe(example.input.replace(/ /g, ''));
    const target = targets.encode(example.target);
    expect(target.tokens).toEqual(['<s>', ...example.target, '</s>']);
    expect(targets.decode(target.ids, { skipSpecialTokens: true })).toBe(example.target);
    expect(() => datesVocabularies([])).toThrow(/train must be a non-empty array/);
  });
});
