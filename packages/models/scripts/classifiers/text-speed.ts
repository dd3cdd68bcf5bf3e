/**
 * Times text classifier training steps (wasm) on the sentiment data, to size `heed train text`.
 * Run: `tsx scripts/classifiers/text-speed.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { sentimentDataset } from '../../src/data/text/sentiment-dataset';
import { loadSentimentNode } from '../../src/data/text/load-sentiment-node';
import { TextClassifier } from '../../src/text-classifier/text-classifier';
import { trainWordPieceTokenizer } from '../../src/text-classifier/wordpiece-tokenizer';

await initBackend({ backend: 'wasm' });
const data = sentimentDataset(await loadSentimentNode());
const texts = data.train.map((example) => example.text);
let start = performance.now();
const tokenizer = trainWordPieceTokenizer(texts, { vocabSize: 4000 });
const lengths = texts.map((text) => tokenizer.encode(text).ids.length).sort((a, b) => a - b);
console.log('tokenizer', Math.round(performance.now() - start), 'ms; length p50/p95/p99/max', [0.5, 0.95, 0.99, 1].map((q) => lengths[Math.min(lengths.length - 1, Math.floor(q * lengths.length))]));
for (const kind of ['bilstm-attention', 'transformer'] as const) {
  const classifier = new TextClassifier({ kind, vocabSize: tokenizer.vocabSize, maxLength: 40, numClasses: 2, hiddenDim: 32 }, tokenizer);
  const ids = classifier.encode(texts.slice(0, 32));
  const y = tf.oneHot(tf.tensor1d(data.train.slice(0, 32).map((example) => example.label), 'int32'), 2);
  const optimizer = tf.train.adam(1e-3);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, classifier.model.apply(ids, { training: true }) as tf.Tensor), false);
  step();
  start = performance.now();
  for (let i = 0; i < 3; i++) step();
  console.log(kind, classifier.countParams(), 'params', Math.round((performance.now() - start) / 3), 'ms/step of 32');
}
