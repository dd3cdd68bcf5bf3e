import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitOf } from '../dataset-split';
import { loadSentimentNode } from './load-sentiment-node';
import { sentimentCrossDomain, sentimentDataset, sentimentExamples, type SentimentRawRow } from './sentiment-dataset';

// Reference: the fixture files read directly.
const fixtures = join(dirname(createRequire(import.meta.url).resolve('sentiment/package.json')), 'test', 'fixtures');
const rows = (source: string) => JSON.parse(readFileSync(join(fixtures, `${source}.json`), 'utf8')) as SentimentRawRow[];

describe('sentiment datasets on the sentiment package fixtures', async () => {
  const raw = await loadSentimentNode();
  const data = sentimentDataset(raw);
  const all = [...data.train, ...data.validation, ...data.test];

  it('keep the 3,000 labelled sentences, 1,000 per source, 500 per class each', () => {
    const reference = (['amazon', 'imdb', 'yelp'] as const).flatMap((source) =>
      rows(source).filter((row) => row.text.trim() !== '').map((row) => ({ text: row.text.trim(), label: row.class, source })),
    );
    expect(reference).toHaveLength(3000);
    expect(sentimentExamples(raw)).toEqual(reference);
    for (const source of ['amazon', 'imdb', 'yelp']) {
      for (const label of [0, 1]) expect(all.filter((e) => e.source === source && e.label === label), `${source} ${label}`).toHaveLength(500);
    }
  });

  it('split by splitOf(text) with no text in two splits', () => {
    expect(all).toHaveLength(3000);
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(data[split].filter((example) => splitOf(example.text) !== split)).toEqual([]);
    }
    const trainTexts = new Set(data.train.map((example) => example.text));
    expect([...data.validation, ...data.test].filter((example) => trainTexts.has(example.text))).toEqual([]);
    expect(data.test.length).toBeGreaterThan(100);
    expect(data.validation.length).toBeGreaterThan(100);
  });

  it('cross-domain: amazon + yelp to train, imdb to test', () => {
    const { train, test } = sentimentCrossDomain(raw);
    expect(train).toHaveLength(2000);
    expect(test).toHaveLength(1000);
    expect(new Set(test.map((example) => example.source))).toEqual(new Set(['imdb']));
  });
});

describe('sentimentExamples input checks', () => {
  it('drops only the trailing empty row and names bad rows', () => {
    const good = { text: ' ok ', class: 1 };
    expect(sentimentExamples({ amazon: [good, { text: '', class: null }], imdb: [], yelp: [] })).toEqual([{ text: 'ok', label: 1, source: 'amazon' }]);
    expect(() => sentimentExamples({ amazon: [{ text: '', class: null }, good], imdb: [], yelp: [] })).toThrow(/raw\.amazon\[0\]/);
    expect(() => sentimentExamples({ amazon: [], imdb: [{ text: 'x', class: 2 }], yelp: [] })).toThrow(/raw\.imdb\[0\] must have text and class 0 or 1; got \{"text":"x","class":2\}/);
    expect(() => sentimentExamples({ amazon: [], imdb: [] } as never)).toThrow(/raw\.yelp must be an array/);
  });
});
