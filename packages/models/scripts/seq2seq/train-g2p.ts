/**
 * Long CMUdict G2P training run (not a test): trains a Seq2Seq on the train split with Adam,
 * checkpoints to --out every epoch and at the time limit, then evaluates WER/PER on the test split
 * against every reference pronunciation and writes --out/results.json.
 *
 *   tsx scripts/seq2seq/train-g2p.ts --attention bahdanau --minutes 50 --out /tmp/g2p-bahdanau
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { initBackend, loadSimdKernels, registerSimdKernels } from '@heed/backends';
import { cmudictG2P } from '../../src/data/cmudict/cmudict-g2p';
import { loadCmudictNode } from '../../src/data/cmudict/load-cmudict-node';
import { g2pVocabularies } from '../../src/data/vocab/g2p-vocabularies';
import { Seq2Seq } from '../../src/seq2seq/seq2seq';
import type { Seq2SeqAttention } from '../../src/seq2seq/seq2seq-config';
import { evaluateG2P, g2pPairs, lengthBatches, tokenizerVocabSize } from '../../src/seq2seq/g2p-task';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const attention = (args.get('attention') ?? 'bahdanau') as Seq2SeqAttention;
const minutes = Number(args.get('minutes') ?? 50);
const epochs = Number(args.get('epochs') ?? 100);
const batchSize = Number(args.get('batch') ?? 128);
const out = args.get('out') ?? `/tmp/g2p-${attention}`;
const backend = args.get('backend') ?? 'wasm';
const lr = Number(args.get('lr') ?? 2e-3);
const resume = args.get('resume') === '1';
const config = {
  attention,
  embeddingDim: Number(args.get('emb') ?? 64),
  encoderUnits: Number(args.get('units') ?? 128),
  numLayers: Number(args.get('layers') ?? 2),
  numHeads: Number(args.get('heads') ?? 4),
  dropout: Number(args.get('dropout') ?? 0.2),
  maxSourceLength: 40,
  maxTargetLength: 40,
};

await initBackend({ backend: backend as 'wasm' });
if (args.get('simd') === '1') {
  registerSimdKernels(tf.getBackend());
  console.log('[g2p] simd kernels loaded', await loadSimdKernels());
}
mkdirSync(out, { recursive: true });
const data = cmudictG2P(await loadCmudictNode());
const vocabularies = g2pVocabularies(data.train);
const model = resume && existsSync(`${out}/model.json`)
  ? await Seq2Seq.load(`file://${out}`)
  : new Seq2Seq({ ...config, sourceVocabSize: tokenizerVocabSize(vocabularies.graphemes), targetVocabSize: tokenizerVocabSize(vocabularies.phonemes) }, { source: vocabularies.graphemes, target: vocabularies.phonemes });
const pairs = g2pPairs(data.train, model.vocabularies!);
console.log(`[g2p] ${tf.getBackend()} ${attention} params ${model.countParams()} train pairs ${pairs.length} test words ${data.test.length}`);
const optimizer = tf.train.adam(lr);
const started = Date.now();
const deadline = started + minutes * 60_000;
const log: string[] = [];
let step = 0;
outer: for (let epoch = 0; epoch < epochs; epoch++) {
  const batches = lengthBatches(pairs, batchSize, epoch + 1);
  let sum = 0;
  let count = 0;
  for (const batch of batches) {
    const loss = optimizer.minimize(() => model.loss(batch.source, batch.target, { labelSmoothing: 0.1 }), true)!;
    sum += (await loss.data())[0]!;
    loss.dispose();
    count++;
    step++;
    if (step % Number(args.get('logEvery') ?? 50) === 0) {
      const line = `[g2p] epoch ${epoch} step ${step} loss ${(sum / count).toFixed(4)} elapsed ${((Date.now() - started) / 60_000).toFixed(1)} min tensors ${tf.memory().numTensors}`;
      console.log(line);
      log.push(line);
    }
    if (Date.now() > deadline) {
      console.log(`[g2p] time limit at epoch ${epoch} (${count}/${batches.length} batches)`);
      break outer;
    }
  }
  await model.save(`file://${out}`);
  if (args.get('eval') === '0') continue;
  const quick = await evaluateG2P(model, data.validation.slice(0, 500), { batchSize: 250 });
  const line = `[g2p] epoch ${epoch} done: train loss ${(sum / count).toFixed(4)} validation(500) WER ${(100 * quick.wer).toFixed(2)}% PER ${(100 * quick.per).toFixed(2)}% elapsed ${((Date.now() - started) / 60_000).toFixed(1)} min`;
  console.log(line);
  log.push(line);
}
const trainMinutes = (Date.now() - started) / 60_000;
await model.save(`file://${out}`);
if (args.get('eval') === '0') process.exit(0);
const evalStart = Date.now();
const test = await evaluateG2P(model, data.test, { batchSize: 250 });
const result = {
  attention, config: model.getConfig(), params: model.countParams(), steps: step, batchSize, lr, backend: tf.getBackend(),
  trainMinutes, evalMinutes: (Date.now() - evalStart) / 60_000, wer: test.wer, per: test.per, words: test.words, log,
};
writeFileSync(`${out}/results.json`, JSON.stringify(result, null, 2));
console.log(`[g2p] TEST ${attention}: WER ${(100 * test.wer).toFixed(2)}% PER ${(100 * test.per).toFixed(2)}% on ${test.words} words; trained ${trainMinutes.toFixed(1)} min, ${step} steps`);
