import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance';

/** The textbook full-matrix dynamic program, as an independent reference. */
function referenceDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return table[a.length]![b.length]!;
}

describe('editDistance', () => {
  it('gives the classic values', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance(['K', 'AE', 'T'], ['K', 'AA', 'T', 'S'])).toBe(2);
  });

  it('agrees with the full-matrix reference on random strings', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: Math.floor(random() * 9) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let trial = 0; trial < 200; trial++) {
      const [a, b] = [word(), word()];
      expect(editDistance(a, b)).toBe(referenceDistance(a, b));
    }
  });
});
