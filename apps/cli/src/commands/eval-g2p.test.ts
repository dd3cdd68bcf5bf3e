import { describe, expect, it } from 'vitest';
import { cmudictG2P } from '@heed/models';
import { loadCmudictNode } from '@heed/models/node';
import { evalG2P, formatG2PScores } from './eval-g2p';
import { predictG2P } from './predict-g2p';

/** Plain Levenshtein distance, written out here as an independent reference. */
function levenshtein(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return table[a.length]![b.length]!;
}

describe('heed eval g2p (shipped weights)', () => {
  it('scores the first words of a split as a hand count over the predictions does', async () => {
    const scores = await evalG2P(['--split', 'validation', '--limit', '60', '--beam', '1', '--json']);
    const examples = cmudictG2P(await loadCmudictNode()).validation.slice(0, 60);
    const predictions = await predictG2P([...examples.map((e) => e.word), '--beam', '1']);
    let wrong = 0;
    let edits = 0;
    let length = 0;
    predictions.forEach(({ phonemes }, index) => {
      const closest = examples[index]!.references.map((reference) => ({ distance: levenshtein(reference, phonemes), length: reference.length })).sort((x, y) => x.distance - y.distance || x.length - y.length)[0]!;
      if (closest.distance > 0) wrong++;
      edits += closest.distance;
      length += closest.length;
    });
    expect(scores.words).toBe(60);
    expect(scores.wer).toBeCloseTo(wrong / 60, 10);
    expect(scores.per).toBeCloseTo(edits / length, 10);
    expect(JSON.parse(formatG2PScores(scores, true))).toEqual({ wer: scores.wer, per: scores.per, words: 60 });
    expect(formatG2PScores({ wer: 0.25, per: 0.06, words: 6191 }, false)).toBe('WER 25.00%  PER 6.00%  (6191 words)');
  });

  it('rejects bad flags with the expected and actual values', async () => {
    await expect(evalG2P(['--split', 'train'])).rejects.toThrow(/--split must be test or validation; got "train"/);
    await expect(evalG2P(['--limit', '0'])).rejects.toThrow(/--limit must be a positive integer; got "0"/);
    await expect(evalG2P(['--bogus', '1'])).rejects.toThrow(/unexpected argument "--bogus"/);
  });
});
