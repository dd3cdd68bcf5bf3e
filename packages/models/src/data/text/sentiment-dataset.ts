import { splitOf } from '../dataset-split';
import { groupBySplit, type SplitDataset } from '../split-dataset';
import type { TextExample } from './text-example';

/** The three sources of the UCI Sentiment Labelled Sentences. */
export type SentimentSource = 'amazon' | 'imdb' | 'yelp';

/** A row of the `sentiment` package's fixtures (`test/fixtures/<source>.json`). */
export interface SentimentRawRow {
  text: string;
  class: number | null;
}

/** The three fixture files, by source. */
export type SentimentRaw = Readonly<Record<SentimentSource, readonly SentimentRawRow[]>>;

/**
 * A labelled sentence: label 0 negative / 1 positive, with its source site.
 *
 * @example
 * ```ts
 * const example: SentimentExample = { text: 'Great phone!', label: 1, source: 'amazon' };
 * ```
 */
export interface SentimentExample extends TextExample {
  source: SentimentSource;
}

/**
 * Class names of the sentiment task by label.
 *
 * @example
 * ```ts
 * SENTIMENT_LABELS[0]; // 'negative'
 * ```
 */
export const SENTIMENT_LABELS = Object.freeze(['negative', 'positive'] as const);

/**
 * All 3,000 sentences (1,000 per source, 500 per class each) in file order, text trimmed. The
 * fixtures' trailing `{"text": "", "class": null}` row is dropped; any other row without text or
 * with a class other than 0/1 is an error naming it.
 *
 * @example
 * ```ts
 * sentimentExamples({ amazon: [{ text: 'Great phone!', class: 1 }, { text: '', class: null }], imdb: [], yelp: [] });
 * // [{ text: 'Great phone!', label: 1, source: 'amazon' }]
 * ```
 */
export function sentimentExamples(raw: SentimentRaw): SentimentExample[] {
  const examples: SentimentExample[] = [];
  for (const source of ['amazon', 'imdb', 'yelp'] as const) {
    const rows = raw?.[source];
    if (!Array.isArray(rows)) throw new TypeError(`sentimentExamples: raw.${source} must be an array of {text, class}; got ${typeof rows}`);
    rows.forEach((row, index) => {
      const text = typeof row?.text === 'string' ? row.text.trim() : '';
      if (text === '' && row?.class === null && index === rows.length - 1) return;
      if (text === '' || (row.class !== 0 && row.class !== 1)) {
        throw new RangeError(`sentimentExamples: raw.${source}[${index}] must have text and class 0 or 1; got ${JSON.stringify(row)}`);
      }
      examples.push({ text, label: row.class, source });
    });
  }
  return examples;
}

/**
 * The UCI sentiment sentences split by `splitOf(text)` (90/5/5; the 17 texts that occur twice,
 * always with the same label, stay in one split). Browser-safe: pass the three fixture arrays
 * (in Node, `loadSentimentNode()` from `@heed/models/node`).
 *
 * @example
 * ```ts
 * import { sentimentDataset } from '@heed/models';
 * import { loadSentimentNode } from '@heed/models/node';
 * const data = sentimentDataset(await loadSentimentNode());
 * ```
 */
export function sentimentDataset(raw: SentimentRaw): SplitDataset<SentimentExample> {
  return groupBySplit(sentimentExamples(raw), (example) => splitOf(example.text));
}

/**
 * The cross-domain sentiment task: train on every Amazon and Yelp sentence, test on every IMDb one.
 *
 * @example
 * ```ts
 * const { train, test } = sentimentCrossDomain(raw);
 * train.length; // 2000
 * test.length; // 1000
 * ```
 */
export function sentimentCrossDomain(raw: SentimentRaw): { train: SentimentExample[]; test: SentimentExample[] } {
  const examples = sentimentExamples(raw);
  return { train: examples.filter((example) => example.source !== 'imdb'), test: examples.filter((example) => example.source === 'imdb') };
}
