import { describe, expect, it } from 'vitest';
import { beamSearch } from './beam-sampler';
import type { DecodingSession } from './decoding-session';
import { greedySearch } from './greedy-sampler';

// Ids: 0 pad, 1 unk, 2 bos, 3 eos, 4 A, 5 B. The next-token distribution depends on the last
// token only: bos → A 0.6 / B 0.4; A → eos 0.5 / A 0.5; B → eos 1. Greedy takes A (0.6) and
// ends with probability 0.3; the best sequence is B eos (0.4), which beam search finds.
const TABLE: Record<number, Record<number, number>> = { 2: { 4: 0.6, 5: 0.4 }, 4: { 3: 0.5, 4: 0.5 }, 5: { 3: 1 } };

function constructedSession(rows: number): DecodingSession & { steps: number } {
  const v = 6;
  const session = {
    rows,
    vocabSize: v,
    heads: 1,
    sourceLength: 2,
    steps: 0,
    step(tokens: Int32Array) {
      session.steps++;
      const logProbs = new Float32Array(rows * v).fill(Math.log(1e-9));
      tokens.forEach((token, row) => {
        for (const [next, p] of Object.entries(TABLE[token] ?? { 3: 1 })) logProbs[row * v + Number(next)] = Math.log(p);
      });
      const attention = new Float32Array(rows * 2).map((_, i) => (i % 2 === 0 ? 0.75 : 0.25));
      return Promise.resolve({ logProbs, attention });
    },
    reorder: () => undefined,
  };
  return session;
}

describe('beamSearch', () => {
  it('finds a higher-scoring sequence than greedy on a constructed distribution', async () => {
    const [greedy] = await greedySearch(constructedSession(1), { bosId: 2, eosId: 3, maxLength: 5 });
    const [beam] = await beamSearch(constructedSession(2), { bosId: 2, eosId: 3, maxLength: 5, beamSize: 2, lengthPenalty: 0 });
    expect(greedy!.tokens).toEqual([4]);
    expect(greedy!.logProb).toBeCloseTo(Math.log(0.3), 5);
    expect(beam!.tokens).toEqual([5]);
    expect(beam!.logProb).toBeCloseTo(Math.log(0.4), 5);
    expect(beam!.logProb).toBeGreaterThan(greedy!.logProb);
    expect(beam!.finished).toBe(true);
    expect(beam!.alignment).toEqual([
      [
        [0.75, 0.25],
        [0.75, 0.25],
      ],
    ]); // [A = 1][steps = 2 (B, eos)][S = 2]
  });

  it('with beam size 1 returns what greedy search returns', async () => {
    const greedy = await greedySearch(constructedSession(3), { bosId: 2, eosId: 3, maxLength: 5 });
    const beam = await beamSearch(constructedSession(3), { bosId: 2, eosId: 3, maxLength: 5, beamSize: 1 });
    expect(beam.map((b) => b.tokens)).toEqual(greedy.map((g) => g.tokens));
    beam.forEach((b, i) => expect(b.logProb).toBeCloseTo(greedy[i]!.logProb, 6));
  });

  it('stops at maxLength with unfinished hypotheses', async () => {
    const session = constructedSession(1);
    session.step = (tokens: Int32Array) => Promise.resolve({ logProbs: Float32Array.from([-9, -9, -9, -5, -0.01, -9]).subarray(0, 6 * tokens.length), attention: new Float32Array(2) });
    const [result] = await beamSearch(session, { bosId: 2, eosId: 3, maxLength: 3, beamSize: 1 });
    expect(result!.tokens).toEqual([4, 4, 4]);
    expect(result!.finished).toBe(false);
  });

  it('rejects bad options naming them', async () => {
    await expect(beamSearch(constructedSession(3), { bosId: 2, eosId: 3, maxLength: 5, beamSize: 2 })).rejects.toThrow(/rows 3 must be a multiple of beamSize 2/);
    await expect(beamSearch(constructedSession(2), { bosId: 2, eosId: 3, maxLength: 0, beamSize: 2 })).rejects.toThrow(/maxLength must be a positive integer; got 0/);
    await expect(greedySearch(constructedSession(2), { bosId: 2, eosId: 3, maxLength: 1.5 })).rejects.toThrow(/maxLength/);
  });
});
