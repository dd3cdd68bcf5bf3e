import { causalMask, combineMasks, paddingMask, windowMask } from '@heed/attention';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeWeights, type PlaygroundSettings } from './compute-weights';
import { MECHANISMS } from './mechanisms';
import { allowedCells, playgroundTokens, scaledDotInputs } from './seeded-inputs';

const SETTINGS: PlaygroundSettings = {
  mechanism: 'scaled-dot',
  sentence: 'the cat sat on the mat',
  padding: 1,
  causal: true,
  window: 2,
  dim: 8,
  heads: 2,
  seed: 3,
  temperature: 0.5,
};

/** softmax(QKᵀ/√d) over the allowed keys, in float64 loops: an independent reference. */
function referenceWeights(settings: PlaygroundSettings): number[][] {
  const tokens = playgroundTokens(settings.sentence, settings.padding);
  const { query, key } = scaledDotInputs(tokens, settings.dim, settings.seed);
  const allowed = allowedCells(tokens.length, settings);
  return allowed.map((row, t) => {
    const scores = row.map((ok, s) => {
      if (!ok) return -Infinity;
      let dot = 0;
      for (let k = 0; k < settings.dim; k++) dot += query[t * settings.dim + k]! * key[s * settings.dim + k]!;
      return dot / Math.sqrt(settings.dim);
    });
    const max = Math.max(...scores);
    const exps = scores.map((score) => (score === -Infinity ? 0 : Math.exp(score - max)));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((value) => (sum === 0 ? 0 : value / sum));
  });
}

describe('playground computations (Node, cpu backend)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('draws the same masked cells as @heed/attention builds its masks', async () => {
    const length = 7;
    const mask = combineMasks(paddingMask([length - 2], length), causalMask(length), windowMask(length, length, 1))!;
    const full = mask.broadcastTo([1, length, length]);
    const fromHeed = ((await full.array()) as number[][][])[0]!.map((row) => row.map(Boolean));
    tf.dispose([mask, full]);
    expect(allowedCells(length, { padding: 2, causal: true, window: 1 })).toEqual(fromHeed);
  });

  it('computes scaled dot-product weights equal to a float64 loop', async () => {
    const result = await computeWeights(SETTINGS);
    const reference = referenceWeights(SETTINGS);
    expect(result.shape).toEqual([1, 7, 7]);
    reference.flat().forEach((value, index) => expect(result.weights[index]).toBeCloseTo(value, 6));
  });

  it.each(MECHANISMS.map((mechanism) => mechanism.id))('%s: rows sum to one over allowed keys, masked keys get zero, no tensors leak', async (mechanism) => {
    const before = tf.memory().numTensors;
    const result = await computeWeights({ ...SETTINGS, mechanism });
    expect(tf.memory().numTensors).toBe(before);
    const [heads, rows, columns] = result.shape;
    expect(heads).toBe(mechanism === 'multi-head' ? 2 : 1);
    for (let head = 0; head < heads; head++) {
      for (let row = 0; row < rows; row++) {
        const values = Array.from(result.weights.slice((head * rows + row) * columns, (head * rows + row + 1) * columns));
        values.forEach((value, column) => {
          if (result.masked[row]![column]) expect(value).toBe(0);
        });
        const sum = values.reduce((a, b) => a + b, 0);
        if (mechanism === 'local-p') expect(sum).toBeLessThanOrEqual(1 + 1e-6);
        else expect(sum).toBeCloseTo(1, 5);
      }
    }
  });

  it('is deterministic for a seed (layer weights are seeded too)', async () => {
    const first = await computeWeights({ ...SETTINGS, mechanism: 'additive' });
    const second = await computeWeights({ ...SETTINGS, mechanism: 'additive' });
    expect(Array.from(second.weights)).toEqual(Array.from(first.weights));
  });

  it('refuses bad input with a message for the page', async () => {
    await expect(computeWeights({ ...SETTINGS, sentence: '  ' })).rejects.toThrow('Type at least one word');
    await expect(computeWeights({ ...SETTINGS, padding: 8 })).rejects.toThrow('At most 12 tokens');
    await expect(computeWeights({ ...SETTINGS, mechanism: 'multi-head', dim: 4, heads: 8 })).rejects.toThrow('divisible');
  });
});
