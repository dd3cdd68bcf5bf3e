import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainWordPieceTokenizer } from '@heed/models';
import { afterAll, describe, expect, it } from 'vitest';
import { bagOfWordsLogistic, checkLabels, trainText } from './train-text';

const work = await mkdtemp(join(tmpdir(), 'heed-train-text-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('heed train text', () => {
  it('trains on a slice of the sentiment data, scores it against baselines on the test split and writes its RESULTS.md rows', async () => {
    const results = join(work, 'RESULTS.md');
    await writeFile(results, '# Results\n\n<!-- results:vit:start -->\nvit rows\n<!-- results:vit:end -->\n');
    const report = await trainText(['--dataset', 'sentiment', '--kind', 'transformer', '--limit', '96', '--epochs', '1', '--depth', '1', '--embedding-dim', '16', '--heads', '2', '--mlp-dim', '16', '--vocab-size', '400', '--out', join(work, 'run'), '--results', results]);
    expect(report.trainExamples).toBe(96);
    expect(report.testExamples).toBe(149);
    expect(report.test.confusion.flat().reduce((sum, count) => sum + count, 0)).toBe(149);
    expect(report.baselines.majority.accuracy).toBeGreaterThan(0.45);
    expect(report.example.tokens[0]).toBe('[CLS]');
    expect(report.example.weights.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 4);
    const text = await readFile(results, 'utf8');
    expect(text).toContain('vit rows');
    expect(text).toMatch(/<!-- results:text:start -->[\s\S]*Bag-of-words logistic regression[\s\S]*Majority class[\s\S]*Transformer \(depth 1[\s\S]*<!-- results:text:end -->/);
    expect(JSON.parse(await readFile(join(work, 'run', 'results.json'), 'utf8'))).toMatchObject({ dataset: 'sentiment', kind: 'transformer' });
  }, 120_000);

  it('names bad arguments', async () => {
    await expect(trainText(['--dataset', 'reviews'])).rejects.toThrow(/--dataset must be one of sentiment, sentiment-cross, spam; got "reviews"/);
    await expect(trainText(['--kind', 'cnn'])).rejects.toThrow(/--kind must be one of bilstm, transformer; got "cnn"/);
    await expect(trainText(['--max-length', '2'])).rejects.toThrow(/--max-length must be an integer in \[3, Infinity\]; got "2"/);
  });

  it('refuses unknown labels in the training data', () => {
    expect(() => checkLabels([{ text: 'fine', label: 1 }, { text: 'meh', label: 2 }], 'training')).toThrow(/training example 1 has label 2; labels must be 0 or 1/);
    expect(() => checkLabels([{ text: 'x', label: Number.NaN }], 'training')).toThrow(/training example 0 has label NaN/);
    expect(() => checkLabels([{ text: 'a', label: 0 }, { text: 'b', label: 1 }], 'training')).not.toThrow();
  });

  it('the bag-of-words baseline separates words it has seen', () => {
    const train = [...Array(20)].flatMap((_, index) => [{ text: `good day ${index}`, label: 1 }, { text: `bad day ${index}`, label: 0 }]);
    const tokenizer = trainWordPieceTokenizer(train.map((example) => example.text), { vocabSize: 100, minFrequency: 1 });
    expect(Array.from(bagOfWordsLogistic(tokenizer, train, [{ text: 'good', label: 1 }, { text: 'bad', label: 0 }]))).toEqual([1, 0]);
  });
});
