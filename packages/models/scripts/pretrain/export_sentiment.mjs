// Writes the UCI sentiment tasks as JSONL for `heed hf fine-tune` ({"text": ..., "label": 0 negative | 1 positive}):
//   OUT_DIR/sentiment/{train,validation,test}.jsonl        heed's split (sentimentDataset: the from-scratch rows' split)
//   OUT_DIR/sentiment-cross/{train,validation,test}.jsonl  Amazon+Yelp (every 20th held out for validation) → IMDb,
//                                                          as `heed train text --dataset sentiment-cross`
// Usage: node export_sentiment.mjs OUT_DIR   (needs `pnpm --filter @heed/models build` first)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { sentimentCrossDomain, sentimentDataset } = await import('@heed/models');
const { loadSentimentNode } = await import('@heed/models/node');

const outDir = process.argv[2];
if (!outDir || outDir.startsWith('--')) throw new Error('export_sentiment.mjs: expected OUT_DIR as the first argument');
const raw = await loadSentimentNode();
const inDomain = sentimentDataset(raw);
const cross = sentimentCrossDomain(raw);
const tasks = {
  sentiment: inDomain,
  'sentiment-cross': {
    train: cross.train.filter((_, index) => index % 20 !== 0),
    validation: cross.train.filter((_, index) => index % 20 === 0),
    test: cross.test,
  },
};
const counts = {};
for (const [task, splits] of Object.entries(tasks)) {
  mkdirSync(join(outDir, task), { recursive: true });
  for (const split of ['train', 'validation', 'test']) {
    const lines = splits[split].map((example) => JSON.stringify({ text: example.text, label: example.label }));
    writeFileSync(join(outDir, task, `${split}.jsonl`), `${lines.join('\n')}\n`);
    counts[`${task}/${split}`] = lines.length;
  }
}
process.stdout.write(`${JSON.stringify(counts)}\n`);
