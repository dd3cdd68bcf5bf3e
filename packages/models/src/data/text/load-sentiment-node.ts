import { readPackageJson, type NodePackageOptions } from '../node-package-file';
import type { SentimentRaw, SentimentRawRow } from './sentiment-dataset';

/**
 * Reads the UCI Sentiment Labelled Sentences from the installed `sentiment` 5.0.2 package
 * (`test/fixtures/{amazon,imdb,yelp}.json`), for `sentimentDataset`. Node only: import it from
 * `@heed/models/node`.
 *
 * @example
 * ```ts
 * import { sentimentDataset } from '@heed/models';
 * import { loadSentimentNode } from '@heed/models/node';
 * const data = sentimentDataset(await loadSentimentNode());
 * ```
 */
export async function loadSentimentNode(options: NodePackageOptions = {}): Promise<SentimentRaw> {
  const read = (source: string) => readPackageJson<SentimentRawRow[]>('sentiment', `test/fixtures/${source}.json`, options);
  const [amazon, imdb, yelp] = await Promise.all([read('amazon'), read('imdb'), read('yelp')]);
  return { amazon, imdb, yelp };
}
