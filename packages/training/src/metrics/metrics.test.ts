import { describe, expect, it } from 'vitest';
import fixtures from '../__fixtures__/metrics.json';
import { accuracy } from './accuracy';
import { confusionMatrix } from './confusion-matrix';
import { characterErrorRate, errorRate, phonemeErrorRate, wordErrorRate } from './error-rate';
import { precisionRecallF1 } from './precision-recall-f1';
import { tokenAccuracy } from './token-accuracy';
import { topKAccuracy } from './top-k-accuracy';

// Reference values: scikit-learn (version in the fixture), written by scripts/make-fixtures.py.
describe.each(fixtures.classification)('classification metrics equal scikit-learn ($name)', (fixture) => {
  const classes = fixture.labels.length;

  it('accuracy_score', () => {
    expect(accuracy(fixture.yTrue, fixture.yPred)).toBeCloseTo(fixture.accuracy, 12);
  });

  it('confusion_matrix', () => {
    expect(confusionMatrix(fixture.yTrue, fixture.yPred, classes)).toEqual(fixture.confusionMatrix);
  });

  it('precision_recall_fscore_support per class and macro / micro / weighted', () => {
    const report = precisionRecallF1(fixture.yTrue, fixture.yPred, classes);
    report.perClass.forEach((entry, label) => {
      expect(entry.precision).toBeCloseTo(fixture.perClass.precision[label]!, 12);
      expect(entry.recall).toBeCloseTo(fixture.perClass.recall[label]!, 12);
      expect(entry.f1).toBeCloseTo(fixture.perClass.f1[label]!, 12);
      expect(entry.support).toBe(fixture.perClass.support[label]);
    });
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      expect(report[average].precision, `${average} precision`).toBeCloseTo(fixture[average].precision, 12);
      expect(report[average].recall, `${average} recall`).toBeCloseTo(fixture[average].recall, 12);
      expect(report[average].f1, `${average} f1`).toBeCloseTo(fixture[average].f1, 12);
    }
  });
});

it('the multi-class fixture exercises zero_division (a class never predicted)', () => {
  const fixture = fixtures.classification[0]!;
  expect(fixture.perClass.precision[4]).toBe(0);
  expect(precisionRecallF1(fixture.yTrue, fixture.yPred, 5).perClass[4]!.precision).toBe(0);
});

describe('topKAccuracy equals scikit-learn top_k_accuracy_score', () => {
  it.each(Object.entries(fixtures.scores.topK))('k = %s', (k, expected) => {
    expect(topKAccuracy(fixtures.scores.labels, fixtures.scores.probabilities, Number(k))).toBeCloseTo(expected, 12);
  });

  it('breaks ties toward the lower class index', () => {
    expect(topKAccuracy([1, 0], [[0.5, 0.5, 0], [0.5, 0.5, 0]], 1)).toBe(0.5);
  });
});

describe('sequence metrics', () => {
  it('token accuracy skips padding', () => {
    expect(tokenAccuracy([[5, 6, 0], [7, 0, 0]], [[5, 9, 3], [7, 1, 1]], { padId: 0 })).toBeCloseTo(2 / 3, 12);
    expect(tokenAccuracy([[5, 6, 0]], [[5, 6, 1]])).toBeCloseTo(2 / 3, 12);
  });

  it('error rates are corpus-level edits over reference length', () => {
    // Hand-counted: "the cat sat" -> "the cat sat down" is 1 insertion; "a dog" -> "the dog" 1 substitution.
    expect(wordErrorRate(['the cat sat', 'a dog'], ['the cat sat down', 'the dog'])).toBeCloseTo(2 / 5, 12);
    expect(characterErrorRate(['kitten'], ['sitting'])).toBeCloseTo(3 / 6, 12);
    expect(phonemeErrorRate(['K AE T', ['D', 'AO', 'G']], ['K AA T', ['D', 'AO', 'G', 'Z']])).toBeCloseTo(2 / 6, 12);
    expect(errorRate([[1, 2]], [[]])).toBe(1);
  });
});

describe('bad input names the values', () => {
  it('labels out of range', () => {
    expect(() => confusionMatrix([0, 1, 7], [0, 1, 1], 3)).toThrow('yTrue[2] is 7: labels must be integers in [0, 2] for 3 classes');
    expect(() => precisionRecallF1([0, 1], [0, -1], 2)).toThrow('yPred[1] is -1');
    expect(() => topKAccuracy([3], [[0.1, 0.9]], 1)).toThrow('yTrue[0] is 3: labels must be integers in [0, 1] for 2 classes');
  });

  it('mismatched lengths and empty inputs', () => {
    expect(() => accuracy([0, 1, 2], [0, 1])).toThrow('yTrue has 3 entries but yPred has 2: they must match');
    expect(() => accuracy([], [])).toThrow('yTrue and yPred are empty');
    expect(() => wordErrorRate(['a'], [])).toThrow('references has 1 entries but hypotheses has 0');
    expect(() => wordErrorRate([''], [''])).toThrow('the references are empty (0 tokens)');
  });
});
