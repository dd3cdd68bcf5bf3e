import { describe, expect, it } from 'vitest';
import { checkPositiveInteger } from './check-positive-integer';
import { describeValue } from './describe-value';

describe('describeValue', () => {
  it('writes non-finite numbers as numbers, never as JSON null', () => {
    expect([NaN, Infinity, -Infinity, -1, 0.5].map((value) => describeValue(value))).toEqual(['NaN', 'Infinity', '-Infinity', '-1', '0.5']);
    expect(describeValue([1, NaN, Infinity])).toBe('[1,"NaN","Infinity"]');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue('two words')).toBe('"two words"');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });

  it('cuts long values and says their length', () => {
    const word = 'a'.repeat(1_000_000);
    const text = describeValue(word, 20);
    expect(text).toBe(`"${'a'.repeat(18)}… (1000002 characters)`);
    expect(describeValue(word).length).toBeLessThan(120);
  });
});

describe('checkPositiveInteger', () => {
  it('accepts positive integers and names the rest', () => {
    expect(checkPositiveInteger(3, 'batchSize')).toBe(3);
    for (const [value, shown] of [[0, '0'], [-2, '-2'], [1.5, '1.5'], [NaN, 'NaN'], [Infinity, 'Infinity'], ['4', '"4"']] as const) {
      expect(() => checkPositiveInteger(value, 'batchSize')).toThrow(`batchSize must be a positive integer; got ${shown}`);
    }
    expect(() => checkPositiveInteger(1e9, 'beamSize', 1000)).toThrow('beamSize must be a positive integer at most 1000; got 1000000000');
  });
});
