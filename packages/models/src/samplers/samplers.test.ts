import { describe, expect, it } from 'vitest';
import fixtures from './__fixtures__/logits-warpers.json' with { type: 'json' };
import { beamSearch } from './beam-search';
import type { DecoderSession } from './decoder-session';
import { greedySearch } from './greedy-search';
import { multinomialSample, nextTokenLogProbs } from './multinomial-sample';

// Ids: 0 pad, 1 unk, 2 bos, 3 eos, 4 A, 5 B. The next-token distribution depends on the last
// token only: bos → A 0.6 / B 0.4; A → eos 0.5 / A 0.5; B → eos 1. Greedy takes A (0.6) and
// ends with probability 0.3; the best sequence is B eos (0.4), which beam search finds.
const TABLE: Record<number, Record<number, number>> = { 2: { 4: 0.6, 5: 0.4 }, 4: { 3: 0.5, 4: 0.5 }, 5: { 3: 1 } };
const V = 6;

/** A session whose logits are the log-probabilities of TABLE; its trace is `[row, step]`. */
function tableSession(rows: number): DecoderSession<[number, number]> & { steps: number; orders: number[][] } {
  const session = {
    rows,
    vocabSize: V,
    steps: 0,
    orders: [] as number[][],
    step(tokens: Int32Array) {
      const step = session.steps++;
      const logits = new Float32Array(rows * V).fill(Math.log(1e-9));
      tokens.forEach((token, row) => {
        for (const [next, p] of Object.entries(TABLE[token] ?? { 3: 1 })) logits[row * V + Number(next)] = Math.log(p);
      });
      return Promise.resolve({ logits, trace: (row: number): [number, number] => [row, step] });
    },
    reorder: (order: readonly number[]) => void session.orders.push([...order]),
  };
  return session;
}

/** A session with the same logits for every row and step. */
function fixedSession(rows: number, logits: readonly number[]): DecoderSession {
  const row = Float32Array.from(logits);
  const all = new Float32Array(rows * row.length);
  for (let r = 0; r < rows; r++) all.set(row, r * row.length);
  return { rows, vocabSize: row.length, step: () => Promise.resolve({ logits: all }), reorder: () => undefined };
}

describe('greedySearch and beamSearch', () => {
  it('beam search finds a higher-scoring sequence than greedy on a constructed distribution, and keeps each hypothesis trace', async () => {
    const [greedy] = await greedySearch(tableSession(1), { startTokens: 2, endId: 3, maxLength: 5 });
    const [beam] = await beamSearch(tableSession(2), { startTokens: 2, endId: 3, maxLength: 5, beamSize: 2, lengthPenalty: 0 });
    expect(greedy!.tokens).toEqual([4]);
    expect(greedy!.logProb).toBeCloseTo(Math.log(0.3), 6);
    expect(greedy!.traces).toEqual([[0, 0], [0, 1]]);
    expect(beam!.tokens).toEqual([5]);
    expect(beam!.logProb).toBeCloseTo(Math.log(0.4), 6);
    expect(beam!.finished).toBe(true);
    expect(beam!.traces).toEqual([[0, 0], [1, 1]]); // B was row 1 after the first step
  });

  it('beam size 1 returns what greedy returns; rows of finished examples stay put', async () => {
    const greedy = await greedySearch(tableSession(3), { startTokens: 2, endId: 3, maxLength: 5 });
    const beam = await beamSearch(tableSession(3), { startTokens: 2, endId: 3, maxLength: 5, beamSize: 1 });
    expect(beam.map((b) => b.tokens)).toEqual(greedy.map((g) => g.tokens));
    beam.forEach((b, i) => expect(b.logProb).toBeCloseTo(greedy[i]!.logProb, 9));
  });

  it('without an endId, run exactly maxLength steps (unfinished)', async () => {
    const session = tableSession(2);
    const results = await greedySearch(session, { startTokens: [2, 5], maxLength: 4 });
    expect(session.steps).toBe(4);
    expect(results.map((r) => r.tokens)).toEqual([[4, 3, 3, 3], [3, 3, 3, 3]]);
    expect(results.every((r) => !r.finished)).toBe(true);
  });

  it('several end ids: each keeps its own probability (none folded into another); the row ends on whichever it emits', async () => {
    // bos → A 0.6 / B 0.4. With ends [A, B] every row ends at once on A, with its own log-probability.
    const [greedy] = await greedySearch(tableSession(1), { startTokens: 2, endId: [5, 4], maxLength: 5 });
    expect(greedy).toMatchObject({ tokens: [], finished: true, endToken: 4 });
    expect(greedy!.logProb).toBeCloseTo(Math.log(0.6), 6);
    // Ends [B, eos]: greedy takes A (0.6), then eos (0.5, tied with A: the lower id).
    const [twice] = await greedySearch(tableSession(1), { startTokens: 2, endId: [5, 3], maxLength: 5 });
    expect(twice).toMatchObject({ tokens: [4], finished: true, endToken: 3 });
    const sampled = await multinomialSample(tableSession(400), { startTokens: 2, endId: [4, 5], maxLength: 5, seed: 2 });
    expect(sampled.every((r) => r.finished && r.tokens.length === 0)).toBe(true);
    const ended = new Set(sampled.map((r) => r.endToken));
    expect(ended).toEqual(new Set([4, 5]));
    for (const scorer of ['heed', 'transformers'] as const) {
      const [beam] = await beamSearch(tableSession(2), { startTokens: 2, endId: [5, 3], maxLength: 5, beamSize: 2, lengthPenalty: 0, scorer });
      expect(beam).toMatchObject({ tokens: [], finished: true, endToken: 5 }); // B alone (0.4) beats A eos (0.3)
    }
    await expect(greedySearch(tableSession(1), { startTokens: 2, endId: [3, 6], maxLength: 3 })).rejects.toThrow('greedySearch: endId[1] must be an id in [0, 6); got 6');
  });

  it('rejects bad options naming them', async () => {
    await expect(beamSearch(tableSession(3), { startTokens: 2, endId: 3, maxLength: 5, beamSize: 2 })).rejects.toThrow('beamSearch: session rows 3 must be a multiple of beamSize 2');
    await expect(beamSearch(tableSession(2), { startTokens: 2, endId: 3, maxLength: 0, beamSize: 2 })).rejects.toThrow('beamSearch: maxLength must be a positive integer; got 0');
    await expect(greedySearch(tableSession(2), { startTokens: [2], maxLength: 3 })).rejects.toThrow('greedySearch: startTokens has 1 ids but the session has 2 rows');
    await expect(greedySearch(tableSession(1), { startTokens: 9, maxLength: 3 })).rejects.toThrow('greedySearch: startTokens[0] must be an id in [0, 6); got 9');
    await expect(multinomialSample(tableSession(1), { startTokens: 2, maxLength: 3, temperature: 0 })).rejects.toThrow('multinomialSample: temperature must be a positive number; got 0');
    await expect(multinomialSample(tableSession(1), { startTokens: 2, maxLength: 3, topP: 1.5 })).rejects.toThrow('multinomialSample: topP must be in (0, 1]; got 1.5');
    await expect(multinomialSample(tableSession(1), { startTokens: 2, maxLength: 3, topK: 0 })).rejects.toThrow('multinomialSample: topK must be a positive integer; got 0');
  });
});

describe('multinomialSample', () => {
  const logits = (fixtures as { logits: number[][] }).logits;
  const cases = (fixtures as { cases: { temperature: number; topK: number | null; topP: number | null; logProbs: (number | null)[][] }[] }).cases;

  it.each(cases.map((c) => [`temperature ${c.temperature}, topK ${c.topK}, topP ${c.topP}`, c] as const))(
    'draws from the distribution of Hugging Face’s temperature, top-k and top-p warpers (PyTorch): %s',
    (_, { temperature, topK, topP, logProbs }) => {
      logits.forEach((row, index) => {
        const ours = nextTokenLogProbs(Float32Array.from(row), { temperature, topK: topK ?? undefined, topP: topP ?? undefined });
        logProbs[index]!.forEach((expected, k) => {
          if (expected === null) expect(ours[k], `row ${index} token ${k} filtered`).toBe(-Infinity);
          else expect(ours[k]).toBeCloseTo(expected, 5);
        });
      });
    },
  );

  it('sampled frequencies match the distribution (20,000 seeded draws), and a seed repeats its tokens', async () => {
    const row = [1, 0, 2, -1, 0.5];
    const draws = 20000;
    const results = await multinomialSample(fixedSession(draws, row), { startTokens: 0, maxLength: 1, seed: 3 });
    const expected = nextTokenLogProbs(Float32Array.from(row)).map(Math.exp);
    const counts = new Array<number>(row.length).fill(0);
    for (const result of results) counts[result.tokens[0]!] = (counts[result.tokens[0]!] ?? 0) + 1;
    counts.forEach((count, k) => {
      const sigma = Math.sqrt(draws * expected[k]! * (1 - expected[k]!));
      expect(Math.abs(count - draws * expected[k]!), `token ${k}: ${count} of ${draws}, expected p = ${expected[k]!.toFixed(4)}`).toBeLessThan(4 * sigma);
    });
    const again = await multinomialSample(fixedSession(50, row), { startTokens: 0, maxLength: 4, seed: 3 });
    const same = await multinomialSample(fixedSession(50, row), { startTokens: 0, maxLength: 4, seed: 3 });
    const other = await multinomialSample(fixedSession(50, row), { startTokens: 0, maxLength: 4, seed: 4 });
    expect(same.map((r) => r.tokens)).toEqual(again.map((r) => r.tokens));
    expect(other.map((r) => r.tokens)).not.toEqual(again.map((r) => r.tokens));
  });

  it('top-k 1 is greedy; a filtered token is never drawn; stops at endId', async () => {
    const greedy = await greedySearch(tableSession(4), { startTokens: 2, endId: 3, maxLength: 5 });
    const topOne = await multinomialSample(tableSession(4), { startTokens: 2, endId: 3, maxLength: 5, topK: 1, seed: 9 });
    expect(topOne.map((r) => r.tokens)).toEqual(greedy.map((r) => r.tokens));
    const topTwo = await multinomialSample(fixedSession(500, [5, 4, 0, 0, -2]), { startTokens: 0, maxLength: 2, topK: 2, seed: 1 });
    expect(new Set(topTwo.flatMap((r) => r.tokens))).toEqual(new Set([0, 1]));
    const ended = await multinomialSample(tableSession(200), { startTokens: 2, endId: 3, maxLength: 40, seed: 5 });
    expect(ended.every((r) => r.finished && r.tokens.every((t) => t === 4 || t === 5))).toBe(true);
  });
});
